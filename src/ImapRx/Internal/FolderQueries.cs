using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ImapRx.Model;
using MailKit;
using MailKit.Search;

namespace ImapRx.Internal;

/// <summary>The folder reads that fetches, watches and syncs share.</summary>
internal static class FolderQueries
{
    /// <summary>UIDs above <paramref name="afterUid"/> (all when 0), ascending.</summary>
    internal static async Task<List<uint>> UidsAfterAsync(IMailFolder folder, uint afterUid, CancellationToken cancellationToken)
    {
        if (folder.Count == 0)
        {
            return new List<uint>();
        }

        var query = afterUid == 0 ? SearchQuery.All : SearchQuery.Uids(new UniqueIdRange(new UniqueId(afterUid + 1), UniqueId.MaxValue));
        var found = await folder.SearchAsync(query, cancellationToken).ConfigureAwait(false);

        // "n:*" always matches the highest UID, even below n: filter.
        return found.Select(u => u.Id).Where(u => u > afterUid).OrderBy(u => u).ToList();
    }

    /// <summary>
    /// <paramref name="count"/> ascending UIDs from <paramref name="offset"/> as a UID set for a command: a range
    /// when they are contiguous (the usual case), which MailKit neither copies nor sorts again.
    /// </summary>
    internal static IList<UniqueId> ToUidSet(List<uint> uids, int offset, int count, uint uidValidity)
    {
        var first = uids[offset];
        var last = uids[offset + count - 1];
        if (last - first == (uint)(count - 1))
        {
            return new UniqueIdRange(new UniqueId(uidValidity, first), new UniqueId(uidValidity, last));
        }

        var set = new UniqueIdSet(uidValidity, SortOrder.Ascending);
        for (var i = offset; i < offset + count; i++)
        {
            set.Add(new UniqueId(uidValidity, uids[i]));
        }

        return set;
    }

    /// <summary>Flag changes since <paramref name="modSeq"/> (CONDSTORE CHANGEDSINCE) for UIDs up to <paramref name="maxUid"/>, ascending; empty without CONDSTORE.</summary>
    internal static async Task<List<FlagsChanged>> FlagChangesSinceAsync(IMailFolder folder, ulong modSeq, uint maxUid, CancellationToken cancellationToken)
    {
        if (!folder.Supports(FolderFeature.ModSequences) || modSeq == 0 || folder.HighestModSeq <= modSeq)
        {
            return new List<FlagsChanged>();
        }

        var request = new FetchRequest(MessageSummaryItems.UniqueId | MessageSummaryItems.Flags | MessageSummaryItems.ModSeq) { ChangedSince = modSeq };
        var changed = await folder.FetchAsync(0, -1, request, cancellationToken).ConfigureAwait(false);
        return changed.Where(s => s.UniqueId.Id <= maxUid).OrderBy(s => s.UniqueId.Id)
            .Select(s => FlagChange(s.UniqueId.Id, s.Flags ?? MessageFlags.None, s.Keywords, s.ModSeq)).ToList();
    }

    /// <summary>
    /// A message's new flags as an event. \Recent is left out: it belongs to whichever session saw the message first,
    /// so it is not a change anyone made.
    /// </summary>
    internal static FlagsChanged FlagChange(uint uid, MessageFlags flags, IEnumerable<string>? keywords, ulong? modSeq)
        => new() { Uid = uid, Flags = MessageMapper.FlagNames(flags & ~MessageFlags.Recent, keywords ?? Enumerable.Empty<string>()), ModSeq = modSeq };

    /// <summary>
    /// Every message's flags, as <see cref="FlagKey"/> strings by UID: what a server without CONDSTORE leaves us to
    /// find flag changes by comparison. Only the given UIDs when <paramref name="uids"/> is not null.
    /// </summary>
    internal static async Task<Dictionary<uint, string>> FlagsAsync(IMailFolder folder, IList<uint>? uids, CancellationToken cancellationToken)
    {
        var flags = new Dictionary<uint, string>();
        if (folder.Count == 0 || uids is { Count: 0 })
        {
            return flags;
        }

        IList<UniqueId> set = uids is null
            ? new UniqueIdRange(new UniqueId(1), UniqueId.MaxValue)
            : uids.Select(u => new UniqueId(u)).ToList();
        var request = new FetchRequest(MessageSummaryItems.UniqueId | MessageSummaryItems.Flags);
        foreach (var summary in await folder.FetchAsync(set, request, cancellationToken).ConfigureAwait(false))
        {
            flags[summary.UniqueId.Id] = FlagKey(summary.Flags ?? MessageFlags.None, summary.Keywords);
        }

        return flags;
    }

    /// <summary>
    /// Flag names in ordinal order, space-separated: equal strings mean equal flags. \Recent is left out: it
    /// belongs to whichever session saw the message first, so it differs between connections without any change.
    /// </summary>
    internal static string FlagKey(MessageFlags flags, IEnumerable<string>? keywords)
        => string.Join(" ", MessageMapper.FlagNames(flags & ~MessageFlags.Recent, keywords ?? Enumerable.Empty<string>()).OrderBy(f => f, System.StringComparer.Ordinal));

    /// <summary>Messages in both maps (up to <paramref name="maxUid"/>) whose flags differ, ascending; arrivals and expunges are not flag changes.</summary>
    internal static List<FlagsChanged> CompareFlags(IReadOnlyDictionary<uint, string> before, IReadOnlyDictionary<uint, string> after, uint maxUid)
        => after.Where(entry => entry.Key <= maxUid && before.TryGetValue(entry.Key, out var old) && old != entry.Value)
            .OrderBy(entry => entry.Key)
            .Select(entry => new FlagsChanged
            {
                Uid = entry.Key,
                Flags = entry.Value.Split(new[] { ' ' }, System.StringSplitOptions.RemoveEmptyEntries),
            })
            .ToList();

    /// <summary>Summaries of <paramref name="uids"/> as model objects, in UID order.</summary>
    internal static async Task<List<MailMessageInfo>> SummariesAsync(IMailFolder folder, IList<uint> uids, CancellationToken cancellationToken)
    {
        var type = FolderTypeClassifier.Classify(folder);
        var summaries = await folder.FetchAsync(uids.Select(u => new UniqueId(u)).ToList(), new FetchRequest(MessageMapper.SummaryItems), cancellationToken).ConfigureAwait(false);
        return summaries.OrderBy(s => s.UniqueId.Id).Select(s => MessageMapper.FromSummary(s, folder.FullName, type, folder.UidValidity)).ToList();
    }
}
