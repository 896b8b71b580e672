using System;
using System.Collections.Generic;
using System.Reactive.Linq;
using System.Threading;
using System.Threading.Tasks;
using ImapRx.Fetching;
using ImapRx.Internal;
using ImapRx.Model;
using ImapRx.Resilience;
using ImapRx.Wire;
using MailKit;

namespace ImapRx.Operations;

/// <summary>
/// Whole messages (<c>MessageContents</c>, <c>GetMessageContentsAsync</c>, <c>EnumerateMessageContentsAsync</c>) on
/// the native reader. <see cref="NativePlanner"/> plans it (on the first bulk session where it can); then the bulk
/// sessions of <see cref="NativeFetchOperation.BulkConnection"/> (counted pool slots, EXAMINE: nothing is marked read)
/// run <c>UID FETCH set (UID BODY.PEEK[])</c> batch after batch. Each message's bytes are copied once,
/// from the reader's buffer into an array of their own (<see cref="WireSummary.RawMessage"/>), which the
/// <see cref="MailMessageContent"/> wraps as is. A batch the reader rejects is fetched again through MailKit's
/// <c>GetStreamsAsync</c> (counted in <c>native_fallbacks</c>, logged once per fetch), so the bytes, their order and
/// the errors are the MailKit path's. Resumes after the last UID delivered; disposing cancels and closes the socket.
/// </summary>
internal sealed class NativeContentsOperation
{
    /// <summary>What is asked for: the UID to key the message by and its bytes, peeked (never \Seen).</summary>
    internal const string Items = "UID BODY.PEEK[]";

    private readonly ClientContext _context;
    private readonly string _folder;
    private readonly FetchOptions _options;
    private readonly Func<CancellationToken, Task>? _demand;

    private NativeContentsOperation(ClientContext context, string folder, FetchOptions options, Func<CancellationToken, Task>? demand)
    {
        _context = context;
        _folder = folder;
        _options = options;
        _demand = demand;
    }

    /// <summary>True when a content fetch can take the native path: opted in, a plain folder name.</summary>
    internal static bool Applies(string folder, FetchOptions options)
        => options.UseNativeReader && WireSession.CanName(folder);

    /// <param name="context">Account, pool, clock and retry policy.</param>
    /// <param name="folder">The folder, as the caller named it (and as every <see cref="MailMessageContent.Folder"/> says).</param>
    /// <param name="options">Which messages, in batches of how many.</param>
    /// <param name="demand">Null for an observable; for a pull-based stream, awaited after each batch but the last.</param>
    internal static IObservable<IReadOnlyList<MailMessageContent>> Create(ClientContext context, string folder, FetchOptions options, Func<CancellationToken, Task>? demand = null)
        => Observable.Defer(() =>
        {
            var operation = new NativeContentsOperation(context, folder, options, demand);

            // Across retries: a re-run resumes after the last UID delivered and checks UIDVALIDITY against the first look.
            var progress = new FetchProgress(options.SinceUid, 0);
            return Observable.Create<IReadOnlyList<MailMessageContent>>((observer, subscription) => context.Lifetime.RunAsync(observer, subscription, async cancellationToken =>
                {
                    try
                    {
                        await operation.RunAsync(progress, observer, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ImapErrors.Translate(ex, $"MessageContents of '{folder}'") is var translated && !ReferenceEquals(translated, ex))
                    {
                        throw translated;
                    }
                }))
                .RetryWith(context.Retry, context.Scheduler);
        });

    private async Task RunAsync(FetchProgress progress, IObserver<IReadOnlyList<MailMessageContent>> observer, CancellationToken cancellationToken)
    {
        var plan = await NativePlanner.PlanAsync(_context, _folder, _options, progress, cancellationToken).ConfigureAwait(false);
        if (plan is null)
        {
            return;
        }

        var (uids, uidValidity) = (plan.Uids, plan.UidValidity);
        await NativeBatchLoop.RunAsync(
            plan.Planner,
            () => new NativeFetchOperation.BulkConnection(_context, _folder, uidValidity),
            NativeFetchOperation.Parallelism(_context, _options),
            uids,
            _options.BatchSize,
            progress,
            observer,
            (session, offset, count, token) => FetchNativeAsync(session, uids, uidValidity, offset, count, progress, token),
            (offset, count, token) => FetchThroughMailKitAsync(uids, uidValidity, offset, count, token),
            _demand,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One batch on the bulk session, in UID order; null when the reader rejected it.</summary>
    private async Task<List<MailMessageContent>?> FetchNativeAsync(
        WireSession session, List<uint> uids, uint uidValidity, int offset, int count, FetchProgress progress, CancellationToken cancellationToken)
    {
        var fetched = await session.FetchAsync(NativeFetchOperation.UidSet(uids, offset, count), Items, keepRawMessage: true, cancellationToken).ConfigureAwait(false);
        var batch = ToContents(fetched, _folder, uidValidity, out var reason);
        if (batch is null)
        {
            Reject(progress, reason!);
            return null;
        }

        _context.Pool.Metrics.NativeBatches.Add(1);
        return batch;
    }

    /// <summary>
    /// A fetched batch as the messages it delivers, in UID order; null (with the reason) when it must go to MailKit
    /// instead: the reader rejected it, a response came without BODY[] (an unsolicited flag update, say: rather than
    /// guess, MailKit fetches the batch), or two responses share a UID. The fuzz target runs this same method.
    /// </summary>
    internal static List<MailMessageContent>? ToContents(WireFetchBatch fetched, string folder, uint uidValidity, out string? rejectedBecause)
    {
        rejectedBecause = fetched.RejectedBecause;
        if (rejectedBecause is not null)
        {
            return null;
        }

        var batch = new List<MailMessageContent>(fetched.Summaries.Count);
        foreach (var summary in fetched.Summaries)
        {
            if (summary.RawMessage is not { } raw)
            {
                rejectedBecause = "a FETCH response without BODY[]";
                return null;
            }

            batch.Add(new MailMessageContent(folder, summary.Uid, uidValidity, raw));
        }

        batch.Sort(static (a, b) => a.Uid.CompareTo(b.Uid));
        for (var i = 1; i < batch.Count; i++)
        {
            if (batch[i].Uid == batch[i - 1].Uid)
            {
                rejectedBecause = "two messages with one UID";
                return null;
            }
        }

        return batch;
    }

    private void Reject(FetchProgress progress, string reason) => NativeBatchLoop.CountFallback(_context, progress, reason);

    /// <summary>The batch as today's path fetches it (<see cref="FetchBatches.ContentsAsync"/>, MailKit's GetStreamsAsync), in UID order.</summary>
    private async Task<List<MailMessageContent>> FetchThroughMailKitAsync(List<uint> uids, uint uidValidity, int offset, int count, CancellationToken cancellationToken)
    {
        var lease = await _context.Pool.LeaseAsync(_context.Account, cancellationToken).ConfigureAwait(false);
        try
        {
            var mailFolder = await lease.OpenFolderAsync(_folder, FolderAccess.ReadOnly, null, cancellationToken).ConfigureAwait(false);
            if (mailFolder.UidValidity != uidValidity)
            {
                throw new ImapUidValidityChangedException(_folder, uidValidity, mailFolder.UidValidity);
            }

            var chunk = FolderQueries.ToUidSet(uids, offset, count, uidValidity);
            var batch = await FetchBatches.ContentsAsync(mailFolder, _folder, chunk, cancellationToken).ConfigureAwait(false);
            batch.Sort(static (a, b) => a.Uid.CompareTo(b.Uid));
            return batch;
        }
        catch (Exception ex)
        {
            lease.Fail(ex);
            throw;
        }
        finally
        {
            await lease.DisposeAsync().ConfigureAwait(false);
        }
    }
}
