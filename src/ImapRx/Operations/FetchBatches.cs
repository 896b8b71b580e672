using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reactive.Linq;
using System.Threading;
using System.Threading.Tasks;
using ImapRx.Fetching;
using ImapRx.Internal;
using ImapRx.Model;
using ImapRx.Pooling;
using ImapRx.Resilience;
using MailKit;
using MailKit.Net.Imap;

namespace ImapRx.Operations;

/// <summary>
/// A fetch on one connection, batch after batch in UID order: summaries (<see cref="Summaries"/>) or whole raw
/// messages (<see cref="Contents"/>). A transient failure re-runs it with the account's retry policy, and the
/// re-run resumes after the last UID delivered; a changed UIDVALIDITY fails it rather than deliver another folder.
/// A message whose summary MailKit cannot read does not fail the fetch: <see cref="SummaryReader"/> narrows its batch
/// down to it and reads it another way, on a fresh connection (MailKit drops the one it failed on).
/// </summary>
internal static class FetchBatches
{
    /// <param name="context">Account, pool, clock and retry policy.</param>
    /// <param name="folder">The folder.</param>
    /// <param name="options">What to fetch.</param>
    /// <param name="plan">Exactly these UIDs (one batch of a parallel fetch), or null to look them up.</param>
    /// <param name="demand">
    /// Null for an observable. For a pull-based stream: awaited after each batch but the last, so the next batch
    /// is fetched only once the consumer has taken this one (see <c>AsyncStreams.BatchHandOff</c>).
    /// </param>
    internal static IObservable<IReadOnlyList<MailMessageInfo>> Summaries(ClientContext context, string folder, FetchOptions options, FetchPlan? plan, Func<CancellationToken, Task>? demand = null)
        => Run<MailMessageInfo>(
            context, folder, options, plan, "Messages",
            static (connection, _, options, unreadable, chunk, cancellationToken) => SummariesAsync(connection, options, unreadable, chunk, cancellationToken),
            static m => m.Uid,
            demand);

    /// <inheritdoc cref="Summaries"/>
    internal static IObservable<IReadOnlyList<MailMessageContent>> Contents(ClientContext context, string folder, FetchOptions options, FetchPlan? plan, Func<CancellationToken, Task>? demand = null)
        => Run<MailMessageContent>(
            context, folder, options, plan, "MessageContents",
            static (connection, folderName, _, _, chunk, cancellationToken) => ContentsAsync(connection.Folder, folderName, chunk, cancellationToken),
            static m => m.Uid,
            demand);

    private delegate Task<List<T>> FetchChunk<T>(IFolderConnection connection, string folderName, FetchOptions options, UnreadableMessages unreadable, IList<UniqueId> chunk, CancellationToken cancellationToken);

    private static IObservable<IReadOnlyList<T>> Run<T>(
        ClientContext context,
        string folder,
        FetchOptions options,
        FetchPlan? plan,
        string operation,
        FetchChunk<T> fetchChunk,
        Func<T, uint> uidOf,
        Func<CancellationToken, Task>? demand)
        => Observable.Defer(() =>
        {
            // What this subscription has delivered, across its retries: a re-run resumes instead of repeating.
            var progress = new FetchProgress(options.SinceUid, plan?.UidValidity ?? 0);
            return Leased.Run<IReadOnlyList<T>>(
                context,
                $"{operation} of '{folder}'",
                retry: true,
                (lease, observer, cancellationToken) => FetchAsync(context, lease, folder, options, plan, progress, fetchChunk, uidOf, demand, observer, cancellationToken));
        });

    private static async Task FetchAsync<T>(
        ClientContext context,
        ImapLease lease,
        string folder,
        FetchOptions options,
        FetchPlan? plan,
        FetchProgress progress,
        FetchChunk<T> fetchChunk,
        Func<T, uint> uidOf,
        Func<CancellationToken, Task>? demand,
        IObserver<IReadOnlyList<T>> observer,
        CancellationToken cancellationToken)
    {
        var mailFolder = await lease.OpenFolderAsync(folder, FolderAccess.ReadOnly, plan?.Scope, cancellationToken).ConfigureAwait(false);
        if (progress.UidValidity != 0 && progress.UidValidity != mailFolder.UidValidity)
        {
            throw new ImapUidValidityChangedException(folder, progress.UidValidity, mailFolder.UidValidity);
        }

        progress.UidValidity = mailFolder.UidValidity;
        if (mailFolder.Count == 0 || (options.Limit is { } limit && progress.Delivered >= limit))
        {
            return;
        }

        var uids = plan is not null
            ? plan.Uids.Where(u => u > progress.LastUid).ToList()
            : await UidsAsync(mailFolder, options, progress.LastUid, cancellationToken).ConfigureAwait(false);
        if (plan is null && options.Limit is { } max)
        {
            uids = uids.Take(max - progress.Delivered).ToList();
        }

        progress.Unreadable ??= new UnreadableMessages(context.Logger, context.Account.AccountKey);
        var connection = new LeaseFolderConnection(context, lease, mailFolder, folder, plan?.Scope);
        try
        {
            for (var offset = 0; offset < uids.Count; offset += options.BatchSize)
            {
                var chunk = FolderQueries.ToUidSet(uids, offset, Math.Min(options.BatchSize, uids.Count - offset), mailFolder.UidValidity);
                var batch = await fetchChunk(connection, folder, options, progress.Unreadable, chunk, cancellationToken).ConfigureAwait(false);
                if (batch.Count == 0)
                {
                    continue;
                }

                batch.Sort((a, b) => uidOf(a).CompareTo(uidOf(b)));
                observer.OnNext(batch);
                progress.LastUid = Math.Max(progress.LastUid, chunk[chunk.Count - 1].Id);
                progress.Delivered += batch.Count;
                if (demand is not null && offset + options.BatchSize < uids.Count)
                {
                    await demand(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex)
        {
            connection.Fail(ex);
            throw;
        }
        finally
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The UIDs a fetch covers, ascending: above <paramref name="afterUid"/>, among <see cref="FetchOptions.Uids"/>
    /// when given, and matching <see cref="FetchOptions.Where"/> when given (searched on this connection).
    /// </summary>
    internal static async Task<List<uint>> UidsAsync(IMailFolder folder, FetchOptions options, uint afterUid, CancellationToken cancellationToken)
    {
        IEnumerable<uint> uids;
        if (options.WhereCriteria is { } where)
        {
            uids = await SearchMessages.UidsAsync(folder, where, cancellationToken).ConfigureAwait(false);
            if (options.Uids is { } among)
            {
                uids = uids.Intersect(among);
            }
        }
        else if (options.Uids is { } wanted)
        {
            return WantedUids(wanted, afterUid);
        }
        else
        {
            return await FolderQueries.UidsAfterAsync(folder, afterUid, cancellationToken).ConfigureAwait(false);
        }

        return WantedUids(uids, afterUid);
    }

    /// <summary>
    /// A UID list as a fetch reads it: those above <paramref name="afterUid"/> (the last delivered), once each,
    /// ascending. UIDs the folder does not hold are not looked up: the FETCH simply returns nothing for them.
    /// </summary>
    internal static List<uint> WantedUids(IEnumerable<uint> uids, uint afterUid)
        => uids.Where(u => u > afterUid).Distinct().OrderBy(u => u).ToList();

    /// <summary>
    /// One batch of summaries through MailKit (and the bodies, when asked for), in the order the server sent them;
    /// a message whose summary cannot be read is found and read another way (<see cref="SummaryReader"/>).
    /// </summary>
    internal static async Task<List<MailMessageInfo>> SummariesAsync(IFolderConnection connection, FetchOptions options, UnreadableMessages unreadable, IList<UniqueId> chunk, CancellationToken cancellationToken)
    {
        var reads = await new SummaryReader(connection, options.Bodies, unreadable).ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
        return reads.ConvertAll(static read => read.Info);
    }

    internal static async Task<List<MailMessageContent>> ContentsAsync(IMailFolder folder, string folderName, IList<UniqueId> chunk, CancellationToken cancellationToken)
    {
        var imapFolder = folder as ImapFolder ?? throw new NotSupportedException("Message contents need an IMAP folder.");
        var validity = folder.UidValidity;
        var batch = new List<MailMessageContent>(chunk.Count);
        await imapFolder.GetStreamsAsync(
            chunk,
            async (_, _, uid, stream, ct) =>
            {
                var buffer = new MemoryStream(stream.CanSeek ? (int)stream.Length : 4096);
                await stream.CopyToAsync(buffer, 81920, ct).ConfigureAwait(false);
                batch.Add(new MailMessageContent(folderName, uid.Id, validity, new ReadOnlyMemory<byte>(buffer.GetBuffer(), 0, (int)buffer.Length)));
            },
            cancellationToken).ConfigureAwait(false);
        return batch;
    }
}
