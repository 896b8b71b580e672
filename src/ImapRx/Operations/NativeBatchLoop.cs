using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using ImapRx.Wire;

namespace ImapRx.Operations;

/// <summary>
/// The batch loop both native-reader operations share (headers, <see cref="NativeFetchOperation"/>; whole messages,
/// <see cref="NativeContentsOperation"/>). Up to <c>parallelism</c> bulk sessions read batches side by side; the
/// batches are emitted strictly in order, each as soon as it and every batch before it are in.
/// <list type="bullet">
/// <item>The first bulk session waits for a pool slot like any lease. Every further one takes a slot only if it is
/// free right now (<see cref="Pooling.ImapConnectionPool.TryLeaseSlotAsync"/>): a fetch never waits for a slot
/// while it holds others, so a full pool means fewer sessions, not a fetch that waits on itself.</item>
/// <item>A batch the reader rejects is fetched again through MailKit once the batches in flight are in and every
/// bulk session is closed: MailKit's lease then never waits for a slot this fetch holds. Later batches open new bulk
/// sessions.</item>
/// <item>A failure stops every batch in flight and aborts every bulk session (the slot goes back once the server has
/// closed the session); the retry resumes after the last UID emitted.</item>
/// </list>
/// </summary>
internal static class NativeBatchLoop
{
    /// <param name="planned">The bulk session that planned the fetch (open, the folder examined), used first; or null.</param>
    /// <param name="bulks">Makes the other bulk sessions: each a counted pool slot with its own login and EXAMINE.</param>
    /// <param name="parallelism">At most this many bulk sessions (and batches in flight) at once.</param>
    /// <param name="uids">The UIDs still to deliver, ascending.</param>
    /// <param name="batchSize">UIDs per batch.</param>
    /// <param name="progress">Delivered count and last UID, kept across retries.</param>
    /// <param name="observer">Gets each non-empty batch.</param>
    /// <param name="native">(session, offset, count, token): the batch on a bulk session; null when the reader rejected it.</param>
    /// <param name="throughMailKit">(offset, count, token): the same batch through MailKit.</param>
    /// <param name="demand">Null for an observable; for a pull-based stream, awaited after each batch but the last.</param>
    /// <param name="cancellationToken">Ends the loop.</param>
    internal static async Task RunAsync<T>(
        NativeFetchOperation.BulkConnection? planned,
        Func<NativeFetchOperation.BulkConnection> bulks,
        int parallelism,
        List<uint> uids,
        int batchSize,
        FetchProgress progress,
        IObserver<IReadOnlyList<T>> observer,
        Func<WireSession, int, int, CancellationToken, Task<List<T>?>> native,
        Func<int, int, CancellationToken, Task<List<T>>> throughMailKit,
        Func<CancellationToken, Task>? demand,
        CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var open = new List<NativeFetchOperation.BulkConnection>();
        var idle = new Stack<NativeFetchOperation.BulkConnection>();
        var inFlight = new Queue<InFlight<T>>();
        if (planned is not null)
        {
            open.Add(planned);
            idle.Push(planned);
        }

        try
        {
            for (var offset = 0; offset < uids.Count; offset += batchSize)
            {
                var count = Math.Min(batchSize, uids.Count - offset);
                NativeFetchOperation.BulkConnection? bulk = null;
                while (bulk is null)
                {
                    if (idle.Count > 0)
                    {
                        bulk = idle.Pop();
                    }
                    else if (open.Count < parallelism && inFlight.Count == 0)
                    {
                        // Nothing of this fetch is in flight: its first session may wait for a slot like any lease.
                        bulk = bulks();
                        open.Add(bulk);
                    }
                    else if (open.Count < parallelism && bulks() is var extra && await extra.TryReserveAsync().ConfigureAwait(false))
                    {
                        bulk = extra;
                        open.Add(bulk);
                    }
                    else
                    {
                        await EmitHeadAsync().ConfigureAwait(false);
                    }
                }

                var task = FetchAsync(bulk, offset, count);

                // A failure stops the batches in flight now, not once it reaches the head of the queue.
                _ = task.ContinueWith(static (_, state) => ((CancellationTokenSource)state!).Cancel(), stop, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                inFlight.Enqueue(new InFlight<T>(task, bulk, offset, count));
            }

            while (inFlight.Count > 0)
            {
                await EmitHeadAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            stop.Cancel();
            await Task.WhenAll(inFlight.Select(static f => f.Task.ContinueWith(static _ => { }, TaskScheduler.Default))).ConfigureAwait(false);

            // Awaited: the slots go back only once the server has closed each session, or a retry could log in
            // while the server still counts this one.
            await Task.WhenAll(open.Select(static b => b.AbortAsync())).ConfigureAwait(false);

            // A batch behind the head failed and stopped the rest: its error, not the head's cancellation, is the
            // cause (a cut is retried; a cancellation would not be).
            if (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested
                && inFlight.Select(static f => f.Task.Exception?.GetBaseException()).FirstOrDefault(static e => e is not null and not OperationCanceledException) is { } cause)
            {
                ExceptionDispatchInfo.Capture(cause).Throw();
            }

            throw;
        }
        finally
        {
            await Task.WhenAll(open.Select(static b => b.CloseAsync())).ConfigureAwait(false);
        }

        // OnCompleted comes from ClientLifetime.RunAsync, once the operation returns (an empty folder included).

        async Task<List<T>?> FetchAsync(NativeFetchOperation.BulkConnection bulk, int offset, int count)
        {
            var session = await bulk.GetAsync(stop.Token).ConfigureAwait(false);
            return await native(session!, offset, count, stop.Token).ConfigureAwait(false);
        }

        async Task EmitHeadAsync()
        {
            var head = inFlight.Dequeue();
            var batch = await head.Task.ConfigureAwait(false);
            if (batch is null)
            {
                // Rejected. Let the others in flight finish (their batches stay queued), then let go of every bulk
                // slot while MailKit fetches: with a pool of one it is the only slot there is.
                await Task.WhenAll(inFlight.Select(static f => f.Task.ContinueWith(static _ => { }, TaskScheduler.Default))).ConfigureAwait(false);
                if (inFlight.FirstOrDefault(static f => f.Task.IsFaulted) is { } failed)
                {
                    await failed.Task.ConfigureAwait(false); // throws: the fetch fails (and resumes) anyway
                }

                await Task.WhenAll(open.Select(static b => b.CloseAsync())).ConfigureAwait(false);
                open.Clear();
                idle.Clear();
                batch = await throughMailKit(head.Offset, head.Count, stop.Token).ConfigureAwait(false);
            }
            else if (open.Contains(head.Bulk))
            {
                idle.Push(head.Bulk);
            }

            if (batch.Count > 0)
            {
                observer.OnNext(batch);
                progress.Delivered += batch.Count;
            }

            progress.LastUid = Math.Max(progress.LastUid, uids[head.Offset + head.Count - 1]);
            if (demand is not null && batch.Count > 0 && head.Offset + head.Count < uids.Count)
            {
                await demand(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A batch the reader rejected: counted in <c>imaprx.fetch.native_fallbacks</c>, logged once per fetch.</summary>
    internal static void CountFallback(ClientContext context, FetchProgress progress, string reason)
    {
        context.Pool.Metrics.NativeFallbacks.Add(1);
        if (progress.TryClaimFallbackLog())
        {
            NativeFetchDiagnostics.Fallback(context.Logger, context.Account.AccountKey, reason);
        }
    }

    private sealed record InFlight<T>(Task<List<T>?> Task, NativeFetchOperation.BulkConnection Bulk, int Offset, int Count);
}
