using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ImapRx.Internal;
using MailKit;

namespace ImapRx.Mailbox;

/// <summary>
/// Brings a <see cref="FolderLedger"/> up to date with the server: a watch's first look and every reconnect's gap
/// fill, each folder a NOTIFY watch examines, and a sync run all go through here. The change source is chosen from
/// what the connection and the ledger allow (QRESYNC, else CONDSTORE, else comparison); the ledger then emits, in
/// this order, a UIDVALIDITY reset, the expunges, the flag changes (ascending UID) and the arrivals.
/// </summary>
internal sealed class FolderResync
{
    private readonly FirstLook _firstLook;
    private readonly bool _includeSummaries;
    private readonly int _batchSize;

    internal FolderResync(FirstLook firstLook, bool includeSummaries, int batchSize = ArrivalReader.Unbatched)
    {
        _firstLook = firstLook;
        _includeSummaries = includeSummaries;
        _batchSize = batchSize;
    }

    /// <summary>The change source for the next resynchronisation of <paramref name="ledger"/>; null when it knows nothing yet.</summary>
    internal static IChangeSource? Choose(IMailboxOpener opener, FolderLedger ledger)
    {
        if (!ledger.IsKnown)
        {
            return null;
        }

        if (ledger.Tracking == FlagTracking.SinceModSeq && ledger.HighestModSeq > 0)
        {
            // QRESYNC needs known UIDs to say which vanished; an empty ledger has none, and CONDSTORE costs nothing then.
            return opener.CanQuickResync && ledger.Count > 0 ? new QuickResyncSource() : new CondStoreSource();
        }

        return new ComparisonSource();
    }

    internal async Task<ResyncResult> RunAsync(IMailboxOpener opener, FolderLedger ledger, CancellationToken cancellationToken)
    {
        var source = Choose(opener, ledger);
        if (source is null)
        {
            var folder = await opener.OpenAsync(cancellationToken).ConfigureAwait(false);
            return await FirstLookAsync(opener, folder, ledger, MailboxSnapshot.Of(folder), uidValidityChanged: false, cancellationToken).ConfigureAwait(false);
        }

        var report = await source.ReadAsync(opener, ledger, cancellationToken).ConfigureAwait(false);
        if (report.IsAnotherFolder(ledger))
        {
            // The server ignored whatever we sent about the old folder, and its old UIDs mean nothing now.
            ledger.ChangeUidValidity(report.Snapshot.UidValidity);
            return await FirstLookAsync(opener, report.Folder, ledger, report.Snapshot, uidValidityChanged: true, cancellationToken).ConfigureAwait(false);
        }

        var expunged = ledger.ExpungeMissing(report.Current).Count;
        var complete = report.Tracking == FlagTracking.Comparison;
        var flagChanges = report.Flags.Count(entry => ledger.ObserveFlags(entry.Key, entry.Value, complete));
        var arrivals = report.Current.Where(u => u > ledger.LastUid).ToList();
        var arrived = await ArrivalReader.ArriveAsync(opener.ForReading(report.Folder), opener.Unreadable, ledger, arrivals, report.Tracking, report.Snapshot.UidNext, _includeSummaries, _batchSize, cancellationToken).ConfigureAwait(false);
        ledger.CompleteResync(report.Tracking, report.Snapshot.HighestModSeq, report.Snapshot.UidNext);
        return new ResyncResult(report.Folder, arrived, expunged, flagChanges, false);
    }

    /// <summary>
    /// Live, on the folder the connection holds open: the arrivals above the ledger's last UID, then, when the
    /// counts still differ, the expunges found by a search of the whole folder. Returns whether anything moved.
    /// <paramref name="opener"/> is the one that opened <paramref name="folder"/> (it lends a connection when MailKit
    /// drops this one over a summary it cannot read).
    /// </summary>
    internal async Task<bool> CatchUpAsync(IMailboxOpener opener, IMailFolder folder, FolderLedger ledger, CancellationToken cancellationToken)
    {
        var newer = await FolderQueries.UidsAfterAsync(folder, ledger.LastUid, cancellationToken).ConfigureAwait(false);
        var arrived = await ArrivalReader.ArriveAsync(opener.ForReading(folder), opener.Unreadable, ledger, newer, ledger.Tracking, ledger.UidNext, _includeSummaries, _batchSize, cancellationToken).ConfigureAwait(false);
        if (opener.ConnectionReplaced || folder.Count == ledger.Count)
        {
            return arrived > 0;
        }

        var current = await FolderQueries.UidsAfterAsync(folder, 0, cancellationToken).ConfigureAwait(false);
        var expunged = ledger.ExpungeMissing(current).Count;
        return arrived > 0 || expunged > 0;
    }

    private async Task<ResyncResult> FirstLookAsync(IMailboxOpener opener, IMailFolder folder, FolderLedger ledger, MailboxSnapshot snapshot, bool uidValidityChanged, CancellationToken cancellationToken)
    {
        var current = await FolderQueries.UidsAfterAsync(folder, 0, cancellationToken).ConfigureAwait(false);
        var tracking = snapshot.HasModSeq ? FlagTracking.SinceModSeq : FlagTracking.Comparison;
        if (_firstLook == FirstLook.Learn)
        {
            // Under CONDSTORE the snapshot's HIGHESTMODSEQ covers every message but those that arrived after it.
            var flags = tracking == FlagTracking.Comparison
                ? await ComparisonSource.AllFlagsAsync(folder, cancellationToken).ConfigureAwait(false)
                : await ArrivalReader.FlagsAsync(folder, current.Where(u => u >= snapshot.UidNext).ToList(), cancellationToken).ConfigureAwait(false);
            ledger.Learn(snapshot.UidValidity, current, flags, tracking, snapshot.HighestModSeq, snapshot.UidNext);
            return new ResyncResult(folder, 0, 0, 0, uidValidityChanged);
        }

        if (!ledger.IsKnown)
        {
            ledger.StartEmpty(snapshot.UidValidity);
        }

        var arrived = await ArrivalReader.ArriveAsync(opener.ForReading(folder), opener.Unreadable, ledger, current, tracking, snapshot.UidNext, _includeSummaries, _batchSize, cancellationToken).ConfigureAwait(false);
        ledger.CompleteResync(tracking, snapshot.HighestModSeq, snapshot.UidNext);
        return new ResyncResult(folder, arrived, 0, 0, uidValidityChanged);
    }
}
