using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using ImapRx.Model;
using ImapRx.Watching;

namespace ImapRx;

public sealed partial class ImapRxClient
{
    private WatchRegistry? _watchRegistry;

    private WatchRegistry Watches => LazyInitializer.EnsureInitialized(ref _watchRegistry, () => new WatchRegistry(Context))!;

    /// <summary>
    /// HOT and shared: changes to <paramref name="folder"/> as they happen (IDLE; polling on servers without it).
    /// Every subscriber with the same folder and options shares one dedicated server connection, opened by the
    /// first subscriber and closed when the last one leaves. IDLE is restarted every idle timeout; a dropped
    /// connection is re-established with backoff and what changed in between is emitted once, in order, before
    /// live events continue (<see cref="WatchResumed"/> marks the end of the gap): with QRESYNC where the connection
    /// has it, and a flag change only for a message reported before whose flags really differ from what was
    /// reported last. A subscriber that joins a running watch first receives its current status (the live
    /// <see cref="WatchConnected"/> and the latest <see cref="WatchIdling"/>, <see cref="WatchReconnecting"/> or
    /// <see cref="WatchResumed"/>), then live events.
    /// </summary>
    public IObservable<MailboxEvent> Watch(string folder, WatchOptions? options = null)
    {
        CheckFolderName(folder);
        ThrowIfDisposed();
        return Watches.Folder(folder, options ?? WatchOptions.Default);
    }

    /// <summary>
    /// HOT and shared: changes to several folders, merged. Where the server offers NOTIFY (RFC 5465) and
    /// <see cref="WatchOptions.UseNotify"/> is on, all folders share ONE dedicated connection; otherwise each folder
    /// gets its own (each counts against MaxConnections). Events are the same either way: per folder, in order,
    /// once, with <see cref="MailboxEvent.Folder"/> saying which; status events are repeated for every folder.
    /// </summary>
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

        foreach (var folder in folders)
        {
            CheckFolderName(folder);
        }

        ThrowIfDisposed();
        return Watches.Folders(folders.Distinct(StringComparer.Ordinal).ToList(), options ?? WatchOptions.Default);
    }
}
