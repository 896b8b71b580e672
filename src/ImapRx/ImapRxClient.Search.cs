using System;
using System.Collections.Generic;
using System.Linq;
using System.Reactive.Linq;
using System.Threading;
using System.Threading.Tasks;
using ImapRx.Resilience;
using ImapRx.Search;
using MailKit;
using MailKit.Search;

namespace ImapRx;

public sealed partial class ImapRxClient
{
    /// <summary>
    /// Runs a typed search and emits the matching UIDs in ascending order (ESEARCH where offered). Cold.
    /// </summary>
    public IObservable<uint> Search(string folder, SearchQuery query)
    {
        CheckFolderName(folder);
        if (query is null)
        {
            throw new ArgumentNullException(nameof(query));
        }

        return SearchCore(folder, (_, _) => Task.FromResult(query));
    }

    /// <summary>
    /// Parses an IMAP search string (the spec's <c>search(config, folder, criteria)</c>, e.g.
    /// <c>FROM "ann@example.com" UNSEEN</c>) and runs it. A malformed string throws
    /// <see cref="ImapSearchSyntaxException"/> here, at call time, saying where it went wrong. Cold.
    /// </summary>
    public IObservable<uint> Search(string folder, string criteria)
    {
        CheckFolderName(folder);
        var parsed = ImapSearchParser.Parse(criteria ?? throw new ArgumentNullException(nameof(criteria)));
        if (!parsed.RequiresResolution)
        {
            var query = parsed.Query;
            return SearchCore(folder, (_, _) => Task.FromResult(query));
        }

        return SearchCore(folder, async (mailFolder, cancellationToken) =>
        {
            // Sequence numbers mean nothing across connections: resolve them on the one that runs the search.
            var map = new Dictionary<ImapSequenceSet, IList<UniqueId>>();
            foreach (var set in parsed.SequenceSets)
            {
                var found = await mailFolder.FetchAsync(set.ToIndexes(mailFolder.Count), MessageSummaryItems.UniqueId, cancellationToken).ConfigureAwait(false);
                map[set] = new UniqueIdSet(found.Select(m => m.UniqueId), SortOrder.Ascending);
            }

            return parsed.Resolve(set => map[set]);
        });
    }

    private IObservable<uint> SearchCore(string folder, Func<IMailFolder, CancellationToken, Task<SearchQuery>> buildQuery)
        => WithLease<uint>(folder, async (lease, observer, cancellationToken) =>
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
            })
            .RetryWithBackoff(BackoffOptions.FromAccount(Account), Scheduler);
}
