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
using MailKit.Search;
using MimeKit;

namespace ImapRx;

public sealed partial class ImapRxClient
{
    /// <summary>
    /// Fetches message summaries in UID order, one list per batch (the spec's <c>fetch_messages</c>). Cold.
    /// Memory follows <see cref="FetchOptions.BatchSize"/>, not the folder. If the connection drops, the fetch
    /// resumes after the last UID delivered (with backoff), so every message arrives exactly once; if the
    /// folder's UIDVALIDITY changed meanwhile it fails with <see cref="ImapUidValidityChangedException"/>.
    /// </summary>
    public IObservable<IReadOnlyList<MailMessageInfo>> MessageBatches(string folder, FetchOptions? options = null)
    {
        CheckFolderName(folder);
        options ??= FetchOptions.Default;
        if (options.MaxParallelism > 1)
        {
            var parallel = options;
            return InParallel(folder, parallel, batch => MessageBatches(folder, batch));
        }

        if (Operations.NativeFetchOperation.Applies(folder, options))
        {
            return Operations.NativeFetchOperation.Create(Context, folder, options);
        }

        return Observable.Defer(() =>
        {
            var progress = new FetchProgress(options.SinceUid) { UidValidity = options.ExpectedUidValidity };
            return WithLease<IReadOnlyList<MailMessageInfo>>(
                    folder,
                    (lease, observer, cancellationToken) => FetchBatchesAsync(lease, folder, options, progress, observer, cancellationToken))
                .RetryWithBackoff(BackoffOptions.FromAccount(Account), Scheduler);
        });
    }

    /// <summary>The same as <see cref="MessageBatches"/>, one message at a time.</summary>
    public IObservable<MailMessageInfo> Messages(string folder, FetchOptions? options = null)
        => MessageBatches(folder, options).SelectMany(batch => batch);

    /// <summary>Downloads and parses one whole message (BODY.PEEK: it is not marked read). Cold.</summary>
    public IObservable<MimeMessage> MimeMessage(string folder, uint uid)
    {
        CheckFolderName(folder);
        CheckUid(uid);
        return WithLease<MimeMessage>(folder, async (lease, observer, cancellationToken) =>
        {
            var mailFolder = await lease.OpenFolderAsync(folder, FolderAccess.ReadOnly, cancellationToken).ConfigureAwait(false);
            observer.OnNext(await GetMessageOrThrowAsync(mailFolder, folder, uid, cancellationToken).ConfigureAwait(false));
        });
    }

    /// <summary>
    /// Writes the raw RFC 5322 bytes of one message to <paramref name="destination"/> (not marked read).
    /// Emits the number of bytes written. Cold.
    /// </summary>
    public IObservable<long> SaveMessage(string folder, uint uid, Stream destination)
    {
        CheckFolderName(folder);
        CheckUid(uid);
        if (destination is null)
        {
            throw new ArgumentNullException(nameof(destination));
        }

        return WithLease<long>(folder, async (lease, observer, cancellationToken) =>
        {
            var mailFolder = await lease.OpenFolderAsync(folder, FolderAccess.ReadOnly, cancellationToken).ConfigureAwait(false);
            Stream raw;
            try
            {
                // The server's bytes as they are (BODY.PEEK[]): parsing and writing back would change line endings
                // and folding, and a saved .eml must be the message, not our rendering of it.
                raw = await mailFolder.GetStreamAsync(new UniqueId(uid), cancellationToken).ConfigureAwait(false);
            }
            catch (MessageNotFoundException ex)
            {
                throw new ImapMessageNotFoundException(folder, uid, ex);
            }

            var counting = new CountingStream(destination);
            using (raw)
            {
                await raw.CopyToAsync(counting, 81920, cancellationToken).ConfigureAwait(false);
            }

            await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
            observer.OnNext(counting.BytesWritten);
        });
    }

    private async Task FetchBatchesAsync(
        ImapLease lease,
        string folder,
        FetchOptions options,
        FetchProgress progress,
        IObserver<IReadOnlyList<MailMessageInfo>> observer,
        CancellationToken cancellationToken)
    {
        var mailFolder = await lease.OpenFolderAsync(folder, FolderAccess.ReadOnly, options.SelectionScope, cancellationToken).ConfigureAwait(false);
        if (progress.UidValidity != 0 && progress.UidValidity != mailFolder.UidValidity)
        {
            throw new ImapUidValidityChangedException(folder, progress.UidValidity, mailFolder.UidValidity);
        }

        progress.UidValidity = mailFolder.UidValidity;
        if (mailFolder.Count == 0 || (options.Limit is { } limit && progress.Delivered >= limit))
        {
            return;
        }

        var uids = await SelectUidsAsync(mailFolder, options, progress.LastUid, cancellationToken).ConfigureAwait(false);
        if (options.Limit is { } max)
        {
            uids = uids.Take(max - progress.Delivered).ToList();
        }

        var folderType = FolderTypeClassifier.Classify(mailFolder);
        var items = MessageMapper.SummaryItems;
        if (mailFolder.Supports(FolderFeature.ModSequences))
        {
            items |= MessageSummaryItems.ModSeq;
        }

        var request = new FetchRequest(items);
        for (var offset = 0; offset < uids.Count; offset += options.BatchSize)
        {
            var chunk = FolderQueries.ToUidSet(uids, offset, Math.Min(options.BatchSize, uids.Count - offset), mailFolder.UidValidity);
            var summaries = await mailFolder.FetchAsync(chunk, request, cancellationToken).ConfigureAwait(false);
            var batch = new List<MailMessageInfo>(summaries.Count);
            foreach (var summary in summaries.OrderBy(s => s.UniqueId.Id))
            {
                var info = MessageMapper.FromSummary(summary, mailFolder.FullName, folderType, mailFolder.UidValidity);
                if (options.Bodies == BodyFetchMode.TextAndHtml)
                {
                    info = await WithBodiesAsync(mailFolder, summary, info, cancellationToken).ConfigureAwait(false);
                }

                batch.Add(info);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            observer.OnNext(batch);
            progress.LastUid = Math.Max(progress.LastUid, chunk[chunk.Count - 1].Id);
            progress.Delivered += batch.Count;
        }
    }

    private static Task<List<uint>> SelectUidsAsync(IMailFolder folder, FetchOptions options, uint afterUid, CancellationToken cancellationToken)
        => options.Uids is { } wanted
            ? Task.FromResult(wanted.Where(u => u > afterUid).Distinct().OrderBy(u => u).ToList())
            : FolderQueries.UidsAfterAsync(folder, afterUid, cancellationToken);

    private static async Task<MailMessageInfo> WithBodiesAsync(IMailFolder folder, IMessageSummary summary, MailMessageInfo info, CancellationToken cancellationToken)
    {
        string? text = null;
        string? html = null;
        if (summary.TextBody is { } textPart)
        {
            text = (await folder.GetBodyPartAsync(summary.UniqueId, textPart, cancellationToken).ConfigureAwait(false) as TextPart)?.Text;
        }

        if (summary.HtmlBody is { } htmlPart)
        {
            html = (await folder.GetBodyPartAsync(summary.UniqueId, htmlPart, cancellationToken).ConfigureAwait(false) as TextPart)?.Text;
        }

        return info with { TextBody = text ?? string.Empty, HtmlBody = html ?? string.Empty };
    }

    private static async Task<MimeMessage> GetMessageOrThrowAsync(IMailFolder folder, string name, uint uid, CancellationToken cancellationToken)
    {
        try
        {
            return await folder.GetMessageAsync(new UniqueId(uid), cancellationToken).ConfigureAwait(false);
        }
        catch (MessageNotFoundException ex)
        {
            throw new ImapMessageNotFoundException(name, uid, ex);
        }
    }

    internal static void CheckUid(uint uid, string parameterName = "uid")
    {
        if (uid == 0)
        {
            throw new ArgumentOutOfRangeException(parameterName, uid, "0 is not a valid UID (UIDs start at 1).");
        }
    }

    /// <summary>What one subscription has delivered so far, so a retry resumes instead of repeating.</summary>
    private sealed class FetchProgress
    {
        internal FetchProgress(uint sinceUid) => LastUid = sinceUid;

        internal uint LastUid { get; set; }

        internal uint UidValidity { get; set; }

        internal int Delivered { get; set; }
    }

    private sealed class CountingStream : Stream
    {
        private readonly Stream _inner;

        internal CountingStream(Stream inner) => _inner = inner;

        internal long BytesWritten { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => _inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            _inner.Write(buffer, offset, count);
            BytesWritten += count;
        }

        public override async Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            await _inner.WriteAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);
            BytesWritten += count;
        }
    }
}
