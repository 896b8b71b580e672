using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace ImapRx.Operations;

/// <summary>
/// The batch loop both native-reader operations share (headers, <see cref="NativeFetchOperation"/>; whole messages,
/// <see cref="NativeContentsOperation"/>): each batch on the bulk session, a rejected one fetched again through
/// MailKit with the bulk slot let go, delivery and resume progress, the pull stream's demand step, and the bulk
/// session closed (or, after an error, aborted) at the end.
/// </summary>
internal static class NativeBatchLoop
{
    /// <param name="bulk">The bulk session and its slot.</param>
    /// <param name="uids">The UIDs still to deliver, ascending.</param>
    /// <param name="batchSize">UIDs per batch.</param>
    /// <param name="progress">Delivered count and last UID, kept across retries.</param>
    /// <param name="observer">Gets each non-empty batch.</param>
    /// <param name="native">(offset, count): the batch on the bulk session; null when the reader rejected it.</param>
    /// <param name="throughMailKit">(offset, count): the same batch through MailKit.</param>
    /// <param name="demand">Null for an observable; for a pull-based stream, awaited after each batch but the last.</param>
    /// <param name="cancellationToken">Ends the loop.</param>
    internal static async Task RunAsync<T>(
        NativeFetchOperation.BulkConnection bulk,
        List<uint> uids,
        int batchSize,
        FetchProgress progress,
        IObserver<IReadOnlyList<T>> observer,
        Func<int, int, Task<List<T>?>> native,
        Func<int, int, Task<List<T>>> throughMailKit,
        Func<CancellationToken, Task>? demand,
        CancellationToken cancellationToken)
    {
        try
        {
            for (var offset = 0; offset < uids.Count; offset += batchSize)
            {
                var count = Math.Min(batchSize, uids.Count - offset);
                var batch = await native(offset, count).ConfigureAwait(false);
                if (batch is null)
                {
                    // Let go of the bulk slot while MailKit fetches: with a pool of one it is the only slot there is.
                    await bulk.CloseAsync().ConfigureAwait(false);
                    batch = await throughMailKit(offset, count).ConfigureAwait(false);
                }

                if (batch.Count > 0)
                {
                    observer.OnNext(batch);
                    progress.Delivered += batch.Count;
                }

                progress.LastUid = Math.Max(progress.LastUid, uids[offset + count - 1]);
                if (demand is not null && batch.Count > 0 && offset + count < uids.Count)
                {
                    await demand(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch
        {
            // Awaited: the slot goes back only once the server has closed the session, or a retry could log in
            // while the server still counts this one.
            await bulk.AbortAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            await bulk.CloseAsync().ConfigureAwait(false);
        }

        // OnCompleted comes from ClientLifetime.RunAsync, once the operation returns (an empty folder included).
    }

    /// <summary>A batch the reader rejected: counted in <c>imaprx.fetch.native_fallbacks</c>, logged once per fetch.</summary>
    internal static void CountFallback(ClientContext context, FetchProgress progress, string reason)
    {
        context.Pool.Metrics.NativeFallbacks.Add(1);
        if (!progress.FallbackLogged)
        {
            progress.FallbackLogged = true;
            NativeFetchDiagnostics.Fallback(context.Logger, context.Account.AccountKey, reason);
        }
    }
}
