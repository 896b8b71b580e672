using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ImapRx.Internal;
using MailKit;

namespace ImapRx.Mailbox;

/// <summary>
/// For servers with neither QRESYNC nor CONDSTORE (Microsoft 365, for one): every message's flags are fetched and
/// the ledger, which keeps every message's flags, compares; a UID search of the whole folder finds the expunges.
/// </summary>
internal sealed class ComparisonSource : IChangeSource
{
    public async Task<ChangeReport> ReadAsync(IMailboxOpener opener, FolderLedger ledger, CancellationToken cancellationToken)
    {
        var folder = await opener.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadOpenAsync(folder, MailboxSnapshot.Of(folder), cancellationToken).ConfigureAwait(false);
    }

    internal static async Task<ChangeReport> ReadOpenAsync(IMailFolder folder, MailboxSnapshot snapshot, CancellationToken cancellationToken)
    {
        var current = await FolderQueries.UidsAfterAsync(folder, 0, cancellationToken).ConfigureAwait(false);
        var flags = (await AllFlagsAsync(folder, cancellationToken).ConfigureAwait(false)).OrderBy(e => e.Key).ToList();
        return new ChangeReport(folder, snapshot, current, flags, FlagTracking.Comparison);
    }

    /// <summary>Every message's flags (UID FETCH 1:* (FLAGS)).</summary>
    internal static async Task<Dictionary<uint, FlagState>> AllFlagsAsync(IMailFolder folder, CancellationToken cancellationToken)
    {
        var flags = new Dictionary<uint, FlagState>();
        if (folder.Count == 0)
        {
            return flags;
        }

        var request = new FetchRequest(MessageSummaryItems.UniqueId | MessageSummaryItems.Flags);
        foreach (var summary in await folder.FetchAsync(new UniqueIdRange(new UniqueId(1), UniqueId.MaxValue), request, cancellationToken).ConfigureAwait(false))
        {
            flags[summary.UniqueId.Id] = FlagState.From(summary.Flags ?? MessageFlags.None, summary.Keywords, null);
        }

        return flags;
    }
}
