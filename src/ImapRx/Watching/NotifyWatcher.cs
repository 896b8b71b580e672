using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ImapRx.Mailbox;
using ImapRx.Model;
using ImapRx.Pooling;
using MailKit;
using MailKit.Net.Imap;

namespace ImapRx.Watching;

/// <summary>
/// Several folders on ONE connection with NOTIFY (RFC 5465): the server reports changes to every watched folder
/// (STATUS for the others, EXISTS/EXPUNGE/FETCH for the selected one) while the connection IDLEs; a folder that
/// changed is examined and brought up to date through its folder ledger, as a single-folder watch is, so arrivals,
/// expunges and flag changes are emitted once, in order, per folder.
/// </summary>
internal sealed class NotifyWatcher
{
    private static readonly IList<ImapEvent> Events = new ImapEvent[] { new ImapEvent.MessageNew(), ImapEvent.MessageExpunge, ImapEvent.FlagChange };

    private readonly ClientContext _context;
    private readonly WatchOptions _options;
    private readonly IReadOnlyList<string> _names;

    internal NotifyWatcher(ClientContext context, IReadOnlyList<string> names, WatchOptions options)
    {
        _context = context;
        _names = names;
        _options = options;
    }

    internal Task RunAsync(IObserver<MailboxEvent> observer, WatchRun run)
    {
        var watched = _names.ToDictionary(n => n, n => new WatchedFolder(n, _options, _context.Scheduler, observer), StringComparer.Ordinal);
        return WatchLoop.RunWithReconnectsAsync(
            _context,
            _options,
            (resynchronised, ct) => RunConnectedAsync(watched, run, resynchronised, ct),
            () =>
            {
                foreach (var folder in watched.Values)
                {
                    folder.MarkLost();
                }
            },
            reconnecting => Broadcast(watched, reconnecting),
            run.Token);
    }

    private async Task RunConnectedAsync(Dictionary<string, WatchedFolder> watched, WatchRun run, Action resynchronised, CancellationToken cancellationToken)
    {
        await using var lease = await _context.Pool.LeaseForIdleAsync(_context.Account, cancellationToken).ConfigureAwait(false);
        run.SetConnected(true);
        using var disconnected = System.Reactive.Disposables.Disposable.Create(() => run.SetConnected(false));
        if (!lease.Client.Capabilities.HasFlag(ImapCapabilities.Notify))
        {
            throw new NotifyUnavailableException();
        }

        var quickResync = _context.Account.UseQuickResync && lease.Client.Capabilities.HasFlag(ImapCapabilities.QuickResync);

        var folders = new List<(IMailFolder Folder, string Name)>();
        var touched = new Dictionary<IMailFolder, bool>();
        var seen = new Dictionary<IMailFolder, FolderSnapshot>();
        IMailFolder? examining = null; // between our EXAMINE's completion and our UNSELECT
        CancellationTokenSource? idleStop = null;

        // MailKit raises these while it reads responses, which only happens inside a command we are awaiting. It
        // raises CountChanged for every EXISTS, our own EXAMINEs included, and resets a folder's values mid-EXAMINE,
        // so a folder is only noted here and judged once the command is over (see Changed).
        void OnChange(IMailFolder folder, bool messageEvent)
        {
            // Anything said about the folder while we hold it selected is news the catch-up may have missed.
            messageEvent |= ReferenceEquals(folder, examining);
            touched[folder] = messageEvent || (touched.TryGetValue(folder, out var earlier) && earlier);
            idleStop?.Cancel();
        }

        // A folder changed when a message-level event came, or a value moved since we last left it.
        List<(IMailFolder Folder, string Name)> Changed()
        {
            var result = folders.Where(f => touched.TryGetValue(f.Folder, out var messageEvent)
                && (messageEvent || !seen.TryGetValue(f.Folder, out var last) || last != FolderSnapshot.Of(f.Folder))).ToList();
            touched.Clear();
            return result;
        }

        // EXAMINE the folder (with QRESYNC where the connection has it) and let its ledger emit what changed since
        // we last looked (the reconnect gap fill is the same resynchronisation). Other folders are then UNSELECTed,
        // so they are reported by STATUS; the snapshot is taken after that, because MailKit resets a closed folder's
        // HIGHESTMODSEQ and only a later STATUS moves the values again. The first folder stays selected, since IDLE
        // needs a selected folder; everything said about it while selected counts as news.
        async Task BringUpToDateAsync(IMailFolder folder, string name, bool stay, CancellationToken cancellationToken)
        {
            if (folder.IsOpen)
            {
                examining = folder;
            }

            await using var opener = new FolderMailboxOpener(
                folder,
                quickResync,
                () =>
                {
                    touched.Remove(folder); // what the EXAMINE itself said
                    examining = folder;
                },
                _context,
                lease);
            await watched[name].ResynchronizeAsync(opener, cancellationToken).ConfigureAwait(false);
            if (!stay)
            {
                await folder.CloseAsync(false, cancellationToken).ConfigureAwait(false);
                examining = null;
                seen[folder] = FolderSnapshot.Of(folder);
            }
        }

        async Task BringUpToDateAllAsync(IEnumerable<(IMailFolder Folder, string Name)> work, CancellationToken cancellationToken)
        {
            var home = folders[0];
            foreach (var (folder, name) in work)
            {
                if (!ReferenceEquals(folder, home.Folder))
                {
                    await BringUpToDateAsync(folder, name, stay: false, cancellationToken).ConfigureAwait(false);
                }
            }

            await BringUpToDateAsync(home.Folder, home.Name, stay: true, cancellationToken).ConfigureAwait(false);
        }

        var subscriptions = new System.Reactive.Disposables.CompositeDisposable();
        try
        {
            run.ThrowIfClosing();
            foreach (var name in _names)
            {
                var folder = await lease.GetFolderAsync(name, cancellationToken).ConfigureAwait(false);
                subscriptions.Add(Subscribe(folder, OnChange));
                folders.Add((folder, name));
            }

            // NOTIFY before the first look at each folder: a change in between is reported, never lost.
            try
            {
                await lease.Client.NotifyAsync(false, EventGroups(lease.Client, folders), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ImapErrors.IsNo(ex))
            {
                // A server that refuses this NOTIFY (a limit we did not foresee) still gets watched: one IDLE per folder.
                throw new NotifyUnavailableException(ex);
            }

            Broadcast(watched, new WatchConnected { ConnectionId = lease.ConnectionId });
            await BringUpToDateAllAsync(folders, cancellationToken).ConfigureAwait(false);
            resynchronised();
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                run.ThrowIfClosing();
                var work = Changed();
                if (work.Count > 0)
                {
                    await BringUpToDateAllAsync(work, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                await WatchLoop.WaitForChangesAsync(
                    _context,
                    lease,
                    _options,
                    $"{folders.Count} folders (NOTIFY)",
                    stop =>
                    {
                        idleStop = stop;
                        run.PublishIdleStop(stop);
                    },
                    polling => Broadcast(watched, new WatchIdling { IsPolling = polling }),
                    cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not WatchClosedException)
        {
            run.OnFailure();
            lease.Fail(ex);
            throw;
        }
        finally
        {
            subscriptions.Dispose();
        }
    }

    /// <summary>Dovecot refuses a NOTIFY naming more mailboxes than this ("NO [NOTIFICATIONOVERFLOW] Too many mailbox names").</summary>
    internal const int MaxNamedMailboxes = 100;

    /// <summary>
    /// The selected folder, plus the watched ones by name; or, past <see cref="MaxNamedMailboxes"/>, every personal
    /// mailbox (changes to folders nobody watches are ignored when they arrive) plus by name those outside the
    /// personal namespace.
    /// </summary>
    private static IList<ImapEventGroup> EventGroups(ImapClient client, List<(IMailFolder Folder, string Name)> folders)
    {
        var groups = new List<ImapEventGroup> { new(ImapMailboxFilter.Selected, Events) };
        if (folders.Count <= MaxNamedMailboxes)
        {
            groups.Add(new ImapEventGroup(new ImapMailboxFilter.Mailboxes(folders.Select(f => f.Folder).ToList()), Events));
            return groups;
        }

        groups.Add(new ImapEventGroup(ImapMailboxFilter.Personal, Events));
        var elsewhere = folders.Where(f => !IsPersonal(client, f.Folder)).Select(f => f.Folder).ToList();
        if (elsewhere.Count > 0)
        {
            groups.Add(new ImapEventGroup(new ImapMailboxFilter.Mailboxes(elsewhere), Events));
        }

        return groups;
    }

    private static bool IsPersonal(ImapClient client, IMailFolder folder)
        => !client.SharedNamespaces.Concat(client.OtherNamespaces)
            .Any(ns => ns.Path.Length > 0 && folder.FullName.StartsWith(ns.Path, StringComparison.Ordinal));

    private static void Broadcast(Dictionary<string, WatchedFolder> watched, MailboxEvent value)
    {
        foreach (var folder in watched.Values)
        {
            folder.Status(value);
        }
    }

    private static IDisposable Subscribe(IMailFolder folder, Action<IMailFolder, bool> changed)
    {
        void OnEvent(object? sender, EventArgs e) => changed(folder, false);
        void OnMessage(object? sender, MessageEventArgs e) => changed(folder, true);
        void OnVanished(object? sender, MessagesVanishedEventArgs e) => changed(folder, true);
        void OnFlags(object? sender, MessageFlagsChangedEventArgs e) => changed(folder, true);
        folder.CountChanged += OnEvent;
        folder.UidNextChanged += OnEvent;
        folder.UidValidityChanged += OnEvent;
        folder.HighestModSeqChanged += OnEvent;
        folder.MessageExpunged += OnMessage;
        folder.MessagesVanished += OnVanished;
        folder.MessageFlagsChanged += OnFlags;
        return System.Reactive.Disposables.Disposable.Create(() =>
        {
            folder.CountChanged -= OnEvent;
            folder.UidNextChanged -= OnEvent;
            folder.UidValidityChanged -= OnEvent;
            folder.HighestModSeqChanged -= OnEvent;
            folder.MessageExpunged -= OnMessage;
            folder.MessagesVanished -= OnVanished;
            folder.MessageFlagsChanged -= OnFlags;
        });
    }

    /// <summary>What STATUS and EXAMINE tell us about a folder; a difference means something happened in it.</summary>
    private readonly record struct FolderSnapshot(int Count, uint UidNext, ulong HighestModSeq, uint UidValidity)
    {
        internal static FolderSnapshot Of(IMailFolder folder)
            => new(folder.Count, folder.UidNext?.Id ?? 0, folder.HighestModSeq, folder.UidValidity);
    }
}
