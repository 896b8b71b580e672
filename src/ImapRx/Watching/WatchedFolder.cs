using System;
using System.Reactive.Concurrency;
using System.Threading;
using System.Threading.Tasks;
using ImapRx.Mailbox;
using ImapRx.Model;
using MailKit;

namespace ImapRx.Watching;

/// <summary>
/// One folder of a watch, single or NOTIFY: its ledger, which outlives connections (that is what makes "exactly
/// once" possible), the start of the current outage, and the stamping of what goes to the observer.
/// </summary>
internal sealed class WatchedFolder
{
    private readonly WatchOptions _options;
    private readonly IScheduler _scheduler;
    private readonly IObserver<MailboxEvent> _observer;
    private readonly FolderResync _resync;
    private DateTimeOffset? _lostAt;
    private IMailboxOpener? _opener;

    internal WatchedFolder(string name, WatchOptions options, IScheduler scheduler, IObserver<MailboxEvent> observer)
    {
        Name = name;
        _options = options;
        _scheduler = scheduler;
        _observer = observer;
        _resync = new FolderResync(FirstLook.Learn, options.IncludeSummaries);
        Ledger = new FolderLedger(Emit);
    }

    internal string Name { get; }

    /// <summary>What the subscribers were told; live events go straight into it.</summary>
    internal FolderLedger Ledger { get; }

    /// <summary>The connection is gone: what happens from now until the next resynchronisation is a gap to fill.</summary>
    internal void MarkLost() => _lostAt ??= _scheduler.Now;

    /// <summary>
    /// First connection: learn the folder. Later: emit what changed since the ledger's state, once, in order, then
    /// <see cref="WatchResumed"/> when this closes an outage. Returns the folder, open read-only.
    /// </summary>
    internal async Task<IMailFolder> ResynchronizeAsync(IMailboxOpener opener, CancellationToken cancellationToken)
    {
        _opener = opener;
        var result = await _resync.RunAsync(opener, Ledger, cancellationToken).ConfigureAwait(false);
        ThrowIfReplaced(opener);
        if (_lostAt is { } lostAt)
        {
            _lostAt = null;
            Status(new WatchResumed { Gap = _scheduler.Now - lostAt, Arrived = result.Arrived, Expunged = result.Expunged, FlagChanges = result.FlagChanges });
        }

        return result.Folder;
    }

    /// <summary>Live: new messages above the last UID, and expunges when the counts still differ.</summary>
    internal async Task CatchUpAsync(IMailFolder folder, CancellationToken cancellationToken)
    {
        var opener = _opener ?? throw new InvalidOperationException("Catching up before the first resynchronisation.");
        await _resync.CatchUpAsync(opener, folder, Ledger, cancellationToken).ConfigureAwait(false);
        ThrowIfReplaced(opener);
    }

    /// <summary>
    /// A summary MailKit could not read cost the watch its connection (the read went on on another, and the ledger
    /// announced every arrival): a lost connection, so the watch reconnects and fills the gap from the ledger.
    /// </summary>
    private void ThrowIfReplaced(IMailboxOpener opener)
    {
        if (opener.ConnectionReplaced)
        {
            throw new ImapConnectionException($"The connection watching '{Name}' was replaced after the server sent a summary MailKit could not read; reconnecting.");
        }
    }

    /// <summary>A status event, when the options ask for them.</summary>
    internal void Status(MailboxEvent value)
    {
        if (_options.IncludeStatusEvents)
        {
            Emit(value with { UidValidity = Ledger.UidValidity });
        }
    }

    private void Emit(MailboxEvent value) => _observer.OnNext(value with { Folder = Name, Timestamp = _scheduler.Now });
}
