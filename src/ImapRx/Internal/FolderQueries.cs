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
}
