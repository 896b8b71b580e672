using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ImapRx.Fetching;
using ImapRx.Model;
using ImapRx.Operations;
using MailKit;

namespace ImapRx.Mailbox;

/// <summary>
/// Reads what an arrival needs before the ledger announces it: the summaries when the consumer wants them, and the
/// flags (with MODSEQ) the ledger keeps so that a later change report does not take the arrival for a change.
/// </summary>
internal static class ArrivalReader
{
    /// <summary>
    /// Announces <paramref name="uids"/> (ascending) through <paramref name="ledger"/> in events of at most
    /// <paramref name="batchSize"/>. Under CONDSTORE only messages the ledger's HIGHESTMODSEQ cannot cover need their
    /// flags kept: those at or above <paramref name="uidNext"/> (which did not exist when the folder was looked at).
    /// Returns how many arrived. Summaries go through <see cref="SummaryReader"/>: a message whose summary MailKit
    /// cannot read still arrives, read another way, on another connection when <paramref name="connection"/> can lend one.
    /// </summary>
    internal static async Task<int> ArriveAsync(
        IFolderConnection connection,
        UnreadableMessages unreadable,
        FolderLedger ledger,
        IReadOnlyList<uint> uids,
        FlagTracking tracking,
        uint uidNext,
        bool includeSummaries,
        int batchSize,
        CancellationToken cancellationToken)
    {
        var arrived = 0;
        for (var offset = 0; offset < uids.Count; offset += batchSize)
        {
            var batch = uids.Skip(offset).Take(batchSize).ToList();
            IReadOnlyList<MailMessageInfo>? messages = null;
            Dictionary<uint, FlagState> states;
            if (includeSummaries)
            {
                var reads = (await new SummaryReader(connection, BodyFetchMode.None, unreadable).ReadAsync(batch.Select(u => new UniqueId(u)).ToList(), cancellationToken).ConfigureAwait(false))
                    .OrderBy(r => r.Info.Uid).ToList();
                states = new Dictionary<uint, FlagState>();
                messages = reads.Select(r => r.Info).ToList();
                foreach (var read in reads)
                {
                    if (read.FlagSource is { } flags)
                    {
                        states[read.Info.Uid] = FlagState.From(flags);
                    }
                }
            }
            else
            {
                states = await FlagsAsync(connection.Folder, tracking == FlagTracking.Comparison ? batch : batch.Where(u => u >= uidNext).ToList(), cancellationToken).ConfigureAwait(false);
            }

            arrived += ledger.Arrive(batch, messages, states);
        }

        return arrived;
    }

    /// <summary>The flags (with MODSEQ under CONDSTORE) of <paramref name="uids"/>; none asked, no command.</summary>
    internal static async Task<Dictionary<uint, FlagState>> FlagsAsync(IMailFolder folder, IList<uint> uids, CancellationToken cancellationToken)
    {
        var states = new Dictionary<uint, FlagState>();
        if (uids.Count == 0)
        {
            return states;
        }

        var items = MessageSummaryItems.UniqueId | MessageSummaryItems.Flags | (folder.Supports(FolderFeature.ModSequences) ? MessageSummaryItems.ModSeq : MessageSummaryItems.None);
        foreach (var summary in await folder.FetchAsync(uids.Select(u => new UniqueId(u)).ToList(), new FetchRequest(items), cancellationToken).ConfigureAwait(false))
        {
            states[summary.UniqueId.Id] = FlagState.From(summary);
        }

        return states;
    }

    /// <summary>No batching: one event for all.</summary>
    internal const int Unbatched = int.MaxValue;
}
