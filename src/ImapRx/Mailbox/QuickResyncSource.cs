using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ImapRx.Internal;
using MailKit;
using MailKit.Search;

namespace ImapRx.Mailbox;

/// <summary>
/// QRESYNC (RFC 7162): the EXAMINE carries the ledger's UIDVALIDITY, HIGHESTMODSEQ and known UIDs, and the server
/// answers with VANISHED (EARLIER) for the known UIDs that are gone and FETCH for every message changed since. Only
/// the arrivals need a search (UID n:*); no SEARCH ALL, no CHANGEDSINCE.
/// </summary>
internal sealed class QuickResyncSource : IChangeSource
{
    public async Task<ChangeReport> ReadAsync(IMailboxOpener opener, FolderLedger ledger, CancellationToken cancellationToken)
    {
        var folder = await opener.GetAsync(cancellationToken).ConfigureAwait(false);
        var vanished = new HashSet<uint>();
        var flags = new Dictionary<uint, FlagState>();
        void OnVanished(object? sender, MessagesVanishedEventArgs e)
        {
            foreach (var uid in e.UniqueIds)
            {
                vanished.Add(uid.Id);
            }
        }

        void OnFlagsChanged(object? sender, MessageFlagsChangedEventArgs e)
        {
            if (e.UniqueId is { } uid)
            {
                flags[uid.Id] = FlagState.From(e.Flags, e.Keywords, e.ModSeq);
            }
        }

        folder.MessagesVanished += OnVanished;
        folder.MessageFlagsChanged += OnFlagsChanged;
        try
        {
            var known = new UniqueIdSet(ledger.Uids.Select(u => new UniqueId(ledger.UidValidity, u)), SortOrder.Ascending);
            await opener.OpenWithQuickResyncAsync(folder, ledger.UidValidity, ledger.HighestModSeq, known, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            folder.MessagesVanished -= OnVanished;
            folder.MessageFlagsChanged -= OnFlagsChanged;
        }

        var snapshot = MailboxSnapshot.Of(folder);
        if (snapshot.UidValidity != ledger.UidValidity)
        {
            return new ChangeReport(folder, snapshot, new List<uint>(), new List<KeyValuePair<uint, FlagState>>(), FlagTracking.SinceModSeq);
        }

        var arrived = await FolderQueries.UidsAfterAsync(folder, ledger.LastUid, cancellationToken).ConfigureAwait(false);
        var current = ledger.Uids.Where(u => !vanished.Contains(u)).Concat(arrived).ToList();
        if (current.Count != folder.Count)
        {
            // The server's account and ours disagree (a VANISHED we did not get): the full list settles it.
            current = await FolderQueries.UidsAfterAsync(folder, 0, cancellationToken).ConfigureAwait(false);
        }

        foreach (var uid in vanished)
        {
            flags.Remove(uid);
        }

        return new ChangeReport(folder, snapshot, current, flags.OrderBy(e => e.Key).ToList(), FlagTracking.SinceModSeq);
    }
}
