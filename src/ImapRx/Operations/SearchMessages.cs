using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ImapRx.Search;
using MailKit;
using MailKit.Search;

namespace ImapRx.Operations;

/// <summary>A search, its UIDs emitted in ascending order (ESEARCH where offered). A read: retried.</summary>
internal static class SearchMessages
{
    internal static IObservable<uint> Run(ClientContext context, string folder, SearchQuery query)
        => Run(context, folder, (_, _) => Task.FromResult(query));

    internal static IObservable<uint> Run(ClientContext context, string folder, ImapSearchCriteria parsed)
        => Run(context, folder, (mailFolder, cancellationToken) => QueryAsync(mailFolder, parsed, cancellationToken));

    /// <summary>The UIDs matching <paramref name="parsed"/> in the open <paramref name="folder"/>, ascending.</summary>
    internal static async Task<IEnumerable<uint>> UidsAsync(IMailFolder folder, ImapSearchCriteria parsed, CancellationToken cancellationToken)
    {
        if (folder.Count == 0)
        {
            return Array.Empty<uint>();
        }

        var query = await QueryAsync(folder, parsed, cancellationToken).ConfigureAwait(false);
        var results = await folder.SearchAsync(SearchOptions.All, query, cancellationToken).ConfigureAwait(false);
        return results.UniqueIds.Select(u => u.Id).OrderBy(u => u);
    }

    private static async Task<SearchQuery> QueryAsync(IMailFolder mailFolder, ImapSearchCriteria parsed, CancellationToken cancellationToken)
    {
        if (!parsed.RequiresResolution)
        {
            return parsed.Query;
        }

        // Sequence numbers mean nothing across connections: resolve them on the one that runs the search.
        var map = new Dictionary<ImapSequenceSet, IList<UniqueId>>();
        foreach (var set in parsed.SequenceSets)
        {
            var found = await mailFolder.FetchAsync(set.ToIndexes(mailFolder.Count), MessageSummaryItems.UniqueId, cancellationToken).ConfigureAwait(false);
            map[set] = new UniqueIdSet(found.Select(m => m.UniqueId), SortOrder.Ascending);
        }

        return parsed.Resolve(set => map[set]);
    }

    private static IObservable<uint> Run(ClientContext context, string folder, Func<IMailFolder, CancellationToken, Task<SearchQuery>> buildQuery)
        => Leased.Run<uint>(context, $"Search in '{folder}'", retry: true, async (lease, observer, cancellationToken) =>
        {
            var mailFolder = await lease.OpenFolderAsync(folder, FolderAccess.ReadOnly, cancellationToken).ConfigureAwait(false);
            if (mailFolder.Count == 0)
            {
                return;
            }

            var query = await buildQuery(mailFolder, cancellationToken).ConfigureAwait(false);
            var results = await mailFolder.SearchAsync(SearchOptions.All, query, cancellationToken).ConfigureAwait(false);
            foreach (var uid in results.UniqueIds.Select(u => u.Id).OrderBy(u => u))
            {
                observer.OnNext(uid);
            }
        });
}
