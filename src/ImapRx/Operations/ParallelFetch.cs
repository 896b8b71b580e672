using System;
using System.Collections.Generic;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Threading;
using System.Threading.Tasks;
using ImapRx.Fetching;
using MailKit;

namespace ImapRx.Operations;

/// <summary>
/// Looks the UIDs up once, then fetches batch after batch with up to <see cref="FetchOptions.MaxParallelism"/>
/// batches in flight, each on its own pooled connection with its own retries, and emits them in UID order.
/// A batch that fails for good fails the whole stream; disposing cancels every batch in flight.
/// </summary>
internal static class ParallelFetch
{
    /// <param name="context">Account, pool, clock and retry policy.</param>
    /// <param name="folder">The folder.</param>
    /// <param name="options">What to fetch, and how many batches at once.</param>
    /// <param name="fetchBatch">Fetches one planned batch (on its own leased connection, with its own retries).</param>
    /// <param name="demand">
    /// Null for an observable. For a pull-based stream: awaited after each batch emitted, so no further batch is
    /// started until the consumer has taken it (at most <see cref="FetchOptions.MaxParallelism"/> in flight).
    /// </param>
    internal static IObservable<IReadOnlyList<T>> Run<T>(ClientContext context, string folder, FetchOptions options, Func<FetchPlan, IObservable<IReadOnlyList<T>>> fetchBatch, Func<CancellationToken, Task>? demand = null)
        => Observable.Create<IReadOnlyList<T>>(async (observer, cancellationToken) =>
        {
            // The connections of this fetch keep their selection from one batch to the next (a SELECT of a big
            // folder is a full mailbox open on the server); all its batches are checked against one UIDVALIDITY.
            var scope = new object();
            var (uids, uidValidity) = await LookUpUids(context, folder, options, scope).ToTask(cancellationToken).ConfigureAwait(false);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var inFlight = new Queue<Task<IList<IReadOnlyList<T>>>>();
            try
            {
                for (var offset = 0; offset < uids.Count; offset += options.BatchSize)
                {
                    if (inFlight.Count >= options.MaxParallelism)
                    {
                        Emit(observer, await inFlight.Dequeue().ConfigureAwait(false));
                        if (demand is not null)
                        {
                            await demand(cancellationToken).ConfigureAwait(false);
                        }
                    }

                    var batch = uids.GetRange(offset, Math.Min(options.BatchSize, uids.Count - offset));
                    inFlight.Enqueue(fetchBatch(new FetchPlan(batch, uidValidity, scope)).ToList().ToTask(stop.Token));
                }

                while (inFlight.Count > 0)
                {
                    Emit(observer, await inFlight.Dequeue().ConfigureAwait(false));
                }
            }
            finally
            {
                // On failure or disposal: stop the other batches and wait, so no lease outlives the subscription.
                stop.Cancel();
                foreach (var pending in inFlight)
                {
                    await pending.ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
                }
            }
        });

    private static IObservable<(List<uint> Uids, uint UidValidity)> LookUpUids(ClientContext context, string folder, FetchOptions options, object scope)
        => Leased.Run<(List<uint>, uint)>(context, $"the UID look-up of '{folder}'", retry: true, async (lease, observer, cancellationToken) =>
        {
            var mailFolder = await lease.OpenFolderAsync(folder, FolderAccess.ReadOnly, scope, cancellationToken).ConfigureAwait(false);
            var uids = mailFolder.Count == 0
                ? new List<uint>()
                : await FetchBatches.UidsAsync(mailFolder, options, options.SinceUid, cancellationToken).ConfigureAwait(false);
            if (options.Limit is { } limit && uids.Count > limit)
            {
                uids = uids.GetRange(0, limit);
            }

            observer.OnNext((uids, mailFolder.UidValidity));
        });

    private static void Emit<T>(IObserver<IReadOnlyList<T>> observer, IList<IReadOnlyList<T>> batches)
    {
        foreach (var batch in batches)
        {
            observer.OnNext(batch);
        }
    }
}
