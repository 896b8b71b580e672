using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ImapRx.Fetching;
using ImapRx.Model;
using MailKit;
using MimeKit;

namespace ImapRx.Operations;

/// <summary>
/// Reads message summaries through MailKit so that no single message can fail the rest. When MailKit cannot read
/// the server's answer to a batch (<see cref="ImapErrorKind.ResponseUnreadable"/>: a string above its 4,096-byte
/// limit in an ENVELOPE, say), that is not a network failure and asking again gets the same answer: the connection
/// is replaced (MailKit dropped it), the batch is split in halves and each half read again, until the message is
/// found. That message is then read another way (<see cref="ReadOneAnotherWayAsync"/>) and delivered with
/// <see cref="MailMessageInfo.ReadIssues"/> set. Costs one reconnect per split: about log2(batch) for one such
/// message in a batch.
/// </summary>
internal sealed class SummaryReader
{
    private readonly IFolderConnection _connection;
    private readonly BodyFetchMode _bodies;
    private readonly UnreadableMessages _unreadable;

    internal SummaryReader(IFolderConnection connection, BodyFetchMode bodies, UnreadableMessages unreadable)
    {
        _connection = connection;
        _bodies = bodies;
        _unreadable = unreadable;
    }

    /// <summary>One summary read: the message, and the summary its flags (and MODSEQ) came from, when they could be read.</summary>
    internal readonly record struct Read(MailMessageInfo Info, IMessageSummary? FlagSource);

    /// <summary>
    /// The summaries of <paramref name="uids"/> still in the folder, in no particular order (a UID that no longer
    /// exists is left out, as FETCH leaves it out).
    /// </summary>
    internal async Task<List<Read>> ReadAsync(IList<UniqueId> uids, CancellationToken cancellationToken)
    {
        var results = new List<Read>(uids.Count);
        await ReadRangeAsync(uids.Select(u => u.Id).ToList(), results, cancellationToken).ConfigureAwait(false);
        return results;
    }

    private async Task ReadRangeAsync(List<uint> uids, List<Read> results, CancellationToken cancellationToken)
    {
        // Messages already found unreadable (before a retry, say) go straight to the other way.
        var usual = new List<uint>(uids.Count);
        foreach (var uid in uids)
        {
            if (!_unreadable.Contains(uid))
            {
                usual.Add(uid);
            }
            else if (await ReadOneAnotherWayAsync(uid, cancellationToken).ConfigureAwait(false) is { } read)
            {
                results.Add(read);
            }
        }

        if (usual.Count == 0)
        {
            return;
        }

        List<Read> batch;
        try
        {
            batch = await ReadUsualAsync(usual, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ImapErrors.IsResponseUnreadable(ex))
        {
            await _connection.ReplaceAsync(ex, cancellationToken).ConfigureAwait(false);
            if (usual.Count == 1)
            {
                _unreadable.Found(usual[0], _connection.Folder.FullName, ex);
                if (await ReadOneAnotherWayAsync(usual[0], cancellationToken).ConfigureAwait(false) is { } read)
                {
                    results.Add(read);
                }

                return;
            }

            var half = usual.Count / 2;
            await ReadRangeAsync(usual.GetRange(0, half), results, cancellationToken).ConfigureAwait(false);
            await ReadRangeAsync(usual.GetRange(half, usual.Count - half), results, cancellationToken).ConfigureAwait(false);
            return;
        }

        results.AddRange(batch);
    }

    /// <summary>The usual way: one FETCH of ENVELOPE, BODYSTRUCTURE, FLAGS, INTERNALDATE, RFC822.SIZE (and MODSEQ).</summary>
    private async Task<List<Read>> ReadUsualAsync(List<uint> uids, CancellationToken cancellationToken)
    {
        var folder = _connection.Folder;
        var items = MessageMapper.SummaryItems;
        if (folder.Supports(FolderFeature.ModSequences))
        {
            items |= MessageSummaryItems.ModSeq;
        }

        var folderType = FolderTypeClassifier.Classify(folder);
        var summaries = await folder.FetchAsync(uids.Select(u => new UniqueId(u)).ToList(), new FetchRequest(items), cancellationToken).ConfigureAwait(false);
        var batch = new List<Read>(summaries.Count);
        foreach (var summary in summaries)
        {
            var info = MessageMapper.FromSummary(summary, folder.FullName, folderType, folder.UidValidity);
            if (_bodies == BodyFetchMode.TextAndHtml)
            {
                info = await WithBodiesAsync(folder, summary, info, cancellationToken).ConfigureAwait(false);
            }

            batch.Add(new Read(info, summary));
        }

        return batch;
    }

    /// <summary>
    /// The other way, for one message whose summary could not be read: FLAGS, INTERNALDATE, RFC822.SIZE and MODSEQ
    /// with its header (<c>BODY.PEEK[HEADER]</c>, a literal MailKit hands to MimeKit whole, with no length limit),
    /// then the BODYSTRUCTURE on its own. Whatever still cannot be read is left empty and named in
    /// <see cref="MailMessageInfo.ReadIssues"/>; each refusal costs the connection, which is replaced.
    /// Null when the message is no longer there.
    /// </summary>
    private async Task<Read?> ReadOneAnotherWayAsync(uint uid, CancellationToken cancellationToken)
    {
        var ids = new[] { new UniqueId(uid) };
        var issues = MessageReadIssues.SummaryUnreadable;
        var basicItems = MessageSummaryItems.UniqueId | MessageSummaryItems.Flags | MessageSummaryItems.InternalDate | MessageSummaryItems.Size;
        if (_connection.Folder.Supports(FolderFeature.ModSequences))
        {
            basicItems |= MessageSummaryItems.ModSeq;
        }

        IMessageSummary? basics;
        try
        {
            basics = (await _connection.Folder.FetchAsync(ids, new FetchRequest(basicItems) { Headers = HeaderSet.All }, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
        }
        catch (Exception ex) when (ImapErrors.IsResponseUnreadable(ex))
        {
            await _connection.ReplaceAsync(ex, cancellationToken).ConfigureAwait(false);
            issues |= MessageReadIssues.HeaderUnreadable;
            basics = await TryFetchAsync(ids, new FetchRequest(basicItems), cancellationToken).ConfigureAwait(false);
        }

        if (basics is null && !issues.HasFlag(MessageReadIssues.HeaderUnreadable))
        {
            return null; // expunged meanwhile: FETCH answers nothing for it, as the usual way would
        }

        var structure = await TryFetchAsync(ids, new FetchRequest(MessageSummaryItems.UniqueId | MessageSummaryItems.BodyStructure), cancellationToken).ConfigureAwait(false);
        if (structure?.Body is null)
        {
            issues |= MessageReadIssues.BodyStructureUnreadable;
        }

        var folder = _connection.Folder;
        var info = MessageMapper.FromFallback(uid, basics, basics?.Headers, structure?.Body, issues, folder.FullName, FolderTypeClassifier.Classify(folder), folder.UidValidity);
        if (_bodies == BodyFetchMode.TextAndHtml)
        {
            info = structure?.Body is null
                ? info with { TextBody = string.Empty, HtmlBody = string.Empty }
                : await WithBodiesAsync(folder, structure, info, cancellationToken).ConfigureAwait(false);
        }

        return new Read(info, basics);
    }

    /// <summary>One FETCH for one message; null when MailKit could not read the answer (the connection is replaced).</summary>
    private async Task<IMessageSummary?> TryFetchAsync(UniqueId[] ids, FetchRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return (await _connection.Folder.FetchAsync(ids, request, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
        }
        catch (Exception ex) when (ImapErrors.IsResponseUnreadable(ex))
        {
            await _connection.ReplaceAsync(ex, cancellationToken).ConfigureAwait(false);
            return null;
        }
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
}
