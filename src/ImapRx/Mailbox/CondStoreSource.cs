using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ImapRx.Internal;
using MailKit;

namespace ImapRx.Mailbox;

/// <summary>
/// CONDSTORE (RFC 7162) without QRESYNC: a FETCH CHANGEDSINCE the ledger's HIGHESTMODSEQ names every message whose
/// flags changed, and a UID search of the whole folder finds the expunges. A folder that turns out to have no
/// MODSEQ (the server lost CONDSTORE) is compared instead.
/// </summary>
internal sealed class CondStoreSource : IChangeSource
{
    public async Task<ChangeReport> ReadAsync(IMailboxOpener opener, FolderLedger ledger, CancellationToken cancellationToken)
    {
        var folder = await opener.OpenAsync(cancellationToken).ConfigureAwait(false);
        var snapshot = MailboxSnapshot.Of(folder);
        if (!snapshot.HasModSeq)
        {
            return await ComparisonSource.ReadOpenAsync(folder, snapshot, cancellationToken).ConfigureAwait(false);
        }

        var current = await FolderQueries.UidsAfterAsync(folder, 0, cancellationToken).ConfigureAwait(false);
        var flags = new List<KeyValuePair<uint, FlagState>>();
        if (snapshot.UidValidity == ledger.UidValidity && folder.Count > 0 && folder.HighestModSeq > ledger.HighestModSeq)
        {
            var request = new FetchRequest(MessageSummaryItems.UniqueId | MessageSummaryItems.Flags | MessageSummaryItems.ModSeq) { ChangedSince = ledger.HighestModSeq };
            foreach (var summary in await folder.FetchAsync(0, -1, request, cancellationToken).ConfigureAwait(false))
            {
                flags.Add(new KeyValuePair<uint, FlagState>(summary.UniqueId.Id, FlagState.From(summary)));
            }
        }

        return new ChangeReport(folder, snapshot, current, flags.OrderBy(e => e.Key).ToList(), FlagTracking.SinceModSeq);
    }
}
