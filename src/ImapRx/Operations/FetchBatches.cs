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
using MimeKit;

namespace ImapRx.Operations;

/// <summary>
/// A fetch on one connection, batch after batch in UID order: summaries (<see cref="Summaries"/>) or whole raw
/// messages (<see cref="Contents"/>). A transient failure re-runs it with the account's retry policy, and the
/// re-run resumes after the last UID delivered; a changed UIDVALIDITY fails it rather than deliver another folder.
/// </summary>
internal static class FetchBatches
{
    internal static IObservable<IReadOnlyList<MailMessageInfo>> Summaries(ClientContext context, string folder, FetchOptions options, FetchPlan? plan)
        => Run<MailMessageInfo>(context, folder, options, plan, "Messages", static (mailFolder, folderName, options, chunk, cancellationToken) => SummariesAsync(mailFolder, options, chunk, cancellationToken), static m => m.Uid);

    internal static IObservable<IReadOnlyList<MailMessageContent>> Contents(ClientContext context, string folder, FetchOptions options, FetchPlan? plan)
        => Run<MailMessageContent>(context, folder, options, plan, "MessageContents", static (mailFolder, folderName, _, chunk, cancellationToken) => ContentsAsync(mailFolder, folderName, chunk, cancellationToken), static m => m.Uid);

    private delegate Task<List<T>> FetchChunk<T>(IMailFolder folder, string folderName, FetchOptions options, IList<UniqueId> chunk, CancellationToken cancellationToken);

    private static IObservable<IReadOnlyList<T>> Run<T>(
        ClientContext context,
        string folder,
        FetchOptions options,
        FetchPlan? plan,
        string operation,
        FetchChunk<T> fetchChunk,
        Func<T, uint> uidOf)
        => Observable.Defer(() =>
        {
            // What this subscription has delivered, across its retries: a re-run resumes instead of repeating.
            var progress = new FetchProgress(options.SinceUid, plan?.UidValidity ?? 0);
            return Leased.Run<IReadOnlyList<T>>(
                context,
                $"{operation} of '{folder}'",
                retry: true,
                (lease, observer, cancellationToken) => FetchAsync(lease, folder, options, plan, progress, fetchChunk, uidOf, observer, cancellationToken));
        });

    private static async Task FetchAsync<T>(
        ImapLease lease,
        string folder,
        FetchOptions options,
        FetchPlan? plan,
        FetchProgress progress,
        FetchChunk<T> fetchChunk,
        Func<T, uint> uidOf,
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

        for (var offset = 0; offset < uids.Count; offset += options.BatchSize)
        {
            var chunk = FolderQueries.ToUidSet(uids, offset, Math.Min(options.BatchSize, uids.Count - offset), mailFolder.UidValidity);
            var batch = await fetchChunk(mailFolder, folder, options, chunk, cancellationToken).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                continue;
            }

            batch.Sort((a, b) => uidOf(a).CompareTo(uidOf(b)));
            observer.OnNext(batch);
            progress.LastUid = Math.Max(progress.LastUid, chunk[chunk.Count - 1].Id);
            progress.Delivered += batch.Count;
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
            uids = wanted;
        }
        else
        {
            return await FolderQueries.UidsAfterAsync(folder, afterUid, cancellationToken).ConfigureAwait(false);
        }

        return uids.Where(u => u > afterUid).Distinct().OrderBy(u => u).ToList();
    }

    /// <summary>One batch of summaries through MailKit (and the bodies, when asked for), in the order the server sent them.</summary>
    internal static async Task<List<MailMessageInfo>> SummariesAsync(IMailFolder folder, FetchOptions options, IList<UniqueId> chunk, CancellationToken cancellationToken)
    {
        var items = MessageMapper.SummaryItems;
        if (folder.Supports(FolderFeature.ModSequences))
        {
            items |= MessageSummaryItems.ModSeq;
        }

        var folderType = FolderTypeClassifier.Classify(folder);
        var summaries = await folder.FetchAsync(chunk, new FetchRequest(items), cancellationToken).ConfigureAwait(false);
        var batch = new List<MailMessageInfo>(summaries.Count);
        foreach (var summary in summaries)
        {
            var info = MessageMapper.FromSummary(summary, folder.FullName, folderType, folder.UidValidity);
            if (options.Bodies == BodyFetchMode.TextAndHtml)
            {
                info = await WithBodiesAsync(folder, summary, info, cancellationToken).ConfigureAwait(false);
            }

            batch.Add(info);
        }

        return batch;
    }

    private static async Task<MailMessageInfo> WithBodiesAsync(IMailFolder folder, IMessageSummary summary, MailMessageInfo info, CancellationToken cancellationToken)
    {
        string? text = null;
        string? html = null;
        if (summary.TextBody is { } textPart)
        {
            text = await BodyTextAsync(folder, summary.UniqueId, textPart, cancellationToken).ConfigureAwait(false);
        }

        if (summary.HtmlBody is { } htmlPart)
        {
            html = await BodyTextAsync(folder, summary.UniqueId, htmlPart, cancellationToken).ConfigureAwait(false);
        }

        return info with { TextBody = text ?? string.Empty, HtmlBody = html ?? string.Empty };
    }

    // A body part MimeKit cannot parse (an empty part of a damaged message) is reported as no text, as a missing part
    // is: one damaged message must not end the stream for every message after it. Its bytes stay available raw.
    private static async Task<string?> BodyTextAsync(IMailFolder folder, UniqueId uid, BodyPart part, CancellationToken cancellationToken)
    {
        try
        {
            return (await folder.GetBodyPartAsync(uid, part, cancellationToken).ConfigureAwait(false) as TextPart)?.Text;
        }
        catch (Exception ex) when (ImapErrors.IsUnparsable(ex))
        {
            return null;
        }
    }

    private static async Task<List<MailMessageContent>> ContentsAsync(IMailFolder folder, string folderName, IList<UniqueId> chunk, CancellationToken cancellationToken)
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
