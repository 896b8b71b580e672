using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Reactive.Linq;
using ImapRx.Model;
using ImapRx.Watching;

namespace ImapRx;

public sealed partial class ImapRxClient
{
    private readonly ConcurrentDictionary<string, SharedObservable<MailboxEvent>> _watches = new(StringComparer.Ordinal);

    /// <summary>
    /// HOT and shared: changes to <paramref name="folder"/> as they happen (IDLE; polling on servers without it).
    /// Every subscriber with the same folder and options shares one dedicated server connection, opened by the
    /// first subscriber and closed when the last one leaves. IDLE is restarted every idle timeout; a dropped
    /// connection is re-established with backoff and what changed in between is emitted once, in order, before
    /// live events continue (<see cref="WatchResumed"/> marks the end of the gap).
    /// </summary>
    public IObservable<MailboxEvent> Watch(string folder, WatchOptions? options = null)
    {
        CheckFolderName(folder);
        ThrowIfDisposed();
        options ??= WatchOptions.Default;
        var watchOptions = options;
        return _watches.GetOrAdd(options.Key(folder), _ => new SharedObservable<MailboxEvent>(
            Observable.Create<MailboxEvent>((observer, cancellationToken) =>
                new FolderWatcher(this, folder, watchOptions).RunAsync(observer, cancellationToken))));
    }

    /// <summary>HOT: several folders merged; one dedicated connection per folder (each counts against MaxConnections).</summary>
    public IObservable<MailboxEvent> Watch(IReadOnlyCollection<string> folders, WatchOptions? options = null)
    {
        if (folders is null)
        {
            throw new ArgumentNullException(nameof(folders));
        }

        if (folders.Count == 0)
        {
            throw new ArgumentException("At least one folder is required.", nameof(folders));
        }

        return folders.Distinct(StringComparer.Ordinal).Select(f => Watch(f, options)).ToList().Merge();
    }
}
