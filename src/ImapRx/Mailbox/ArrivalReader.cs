using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ImapRx.Model;
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
    /// Returns how many arrived.
    /// </summary>
    internal static async Task<int> ArriveAsync(
        IMailFolder folder,
        FolderLedger ledger,
        IReadOnlyList<uint> uids,
        FlagTracking tracking,
        uint uidNext,
        bool includeSummaries,
        int batchSize,
        CancellationToken cancellationToken)
    {
        var arrived = 0;
        var withModSeq = folder.Supports(FolderFeature.ModSequences);
        for (var offset = 0; offset < uids.Count; offset += batchSize)
        {
            var batch = uids.Skip(offset).Take(batchSize).ToList();
            IReadOnlyList<MailMessageInfo>? messages = null;
            Dictionary<uint, FlagState> states;
            if (includeSummaries)
            {
                var items = MessageMapper.SummaryItems | (withModSeq ? MessageSummaryItems.ModSeq : MessageSummaryItems.None);
                var type = FolderTypeClassifier.Classify(folder);
                var summaries = (await folder.FetchAsync(batch.Select(u => new UniqueId(u)).ToList(), new FetchRequest(items), cancellationToken).ConfigureAwait(false))
                    .OrderBy(s => s.UniqueId.Id).ToList();
                states = new Dictionary<uint, FlagState>();
                messages = summaries.Select(s => MessageMapper.FromSummary(s, folder.FullName, type, folder.UidValidity)).ToList();
                foreach (var summary in summaries)
                {
                    states[summary.UniqueId.Id] = FlagState.From(summary);
                }
            }
            else
            {
                states = await FlagsAsync(folder, tracking == FlagTracking.Comparison ? batch : batch.Where(u => u >= uidNext).ToList(), cancellationToken).ConfigureAwait(false);
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
