using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Reactive.Linq;
using System.Threading;
using System.Threading.Tasks;
using ImapRx.Model;

namespace ImapRx.Watching;

/// <summary>
/// The client's running watches, one shared hot stream per folder (or set of folders) and options: a per-folder
/// watch on its own IDLE connection, or a NOTIFY watch of several folders on one connection that falls back to
/// per-folder watches from this registry (never through the client) where the server cannot NOTIFY.
/// </summary>
internal sealed class WatchRegistry
{
    private readonly ClientContext _context;
    private readonly ConcurrentDictionary<string, SharedObservable> _watches = new(StringComparer.Ordinal);
    private volatile bool _notifyUnavailable;

    internal WatchRegistry(ClientContext context) => _context = context;

    /// <summary>The shared watch of one folder.</summary>
    internal IObservable<MailboxEvent> Folder(string folder, WatchOptions options)
        => _watches.GetOrAdd(options.Key(folder), _ => new SharedObservable(
            Observable.Create<MailboxEvent>((observer, cancellationToken) =>
                RunAsync(observer, cancellationToken, run => new FolderWatcher(_context, folder, options).RunAsync(observer, run)))));

    /// <summary>The shared watch of several distinct folders: NOTIFY where allowed, else one per folder, merged.</summary>
    internal IObservable<MailboxEvent> Folders(IReadOnlyList<string> names, WatchOptions options)
    {
        if (names.Count == 1)
        {
            return Folder(names[0], options);
        }

        IObservable<MailboxEvent> OnePerFolder() => names.Select(f => Folder(f, options)).Merge();
        if (!options.UseNotify || _notifyUnavailable)
        {
            return OnePerFolder();
        }

        var key = options.Key(string.Join("\u0002", names.OrderBy(n => n, StringComparer.Ordinal))) + "\u0001notify";
        return _watches.GetOrAdd(key, _ => new SharedObservable(
            Observable.Create<MailboxEvent>((observer, cancellationToken) => RunAsync(observer, cancellationToken, async run =>
            {
                try
                {
                    await new NotifyWatcher(_context, names, options).RunAsync(observer, run).ConfigureAwait(false);
                }
                catch (NotifyUnavailableException ex)
                {
                    _notifyUnavailable |= ex.ServerHasNoNotify;

                    // The per-folder watches end with the client on their own (and complete this one).
                    await OnePerFolder().ForEachAsync(observer.OnNext, cancellationToken).ConfigureAwait(false);
                }
            }))));
    }

    /// <summary>
    /// Runs one watch as part of the client's lifetime: disposing the client completes it (after a clean LOGOUT where
    /// it held a connection), and subscribing once the client is disposed fails with <see cref="ObjectDisposedException"/>.
    /// </summary>
    private async Task RunAsync(IObserver<MailboxEvent> observer, CancellationToken subscription, Func<WatchRun, Task> watch)
    {
        if (!_context.Lifetime.TryEnter(observer, out var running))
        {
            return;
        }

        // ClientLifetime.End decides the order of delivering the end and no longer counting as running.
        Exception? failure = null;
        using (var run = new WatchRun(_context.Lifetime, subscription))
        {
            try
            {
                await watch(run).ConfigureAwait(false);
            }
            catch (Exception ex) when (run.IsClosing && !subscription.IsCancellationRequested
                && (ex is WatchClosedException or OperationCanceledException || ImapErrors.Translate(ex) is ImapRxException))
            {
                // Ended by the client's disposal (cleanly, or cut short once the grace period was over).
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        }

        _context.Lifetime.End(running, failure is null ? observer.OnCompleted : () => observer.OnError(failure));
    }
}
