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

namespace ImapRx;

public sealed partial class ImapRxClient
{
    /// <summary>
    /// Whole messages as the server stores them (BODY.PEEK[]: nothing is marked read), in UID order, one batch of
    /// <see cref="FetchOptions.BatchSize"/> in memory at a time (times <see cref="FetchOptions.MaxParallelism"/>).
    /// For backups, exports and anything that needs the full bytes; nothing is parsed unless you call
    /// <see cref="MailMessageContent.Parse"/>. Resumes after the last UID delivered when a connection drops. Cold.
    /// </summary>
    public IObservable<MailMessageContent> MessageContents(string folder, FetchOptions? options = null)
    {
        CheckFolderName(folder);
        options ??= FetchOptions.Default;
        var batches = options.MaxParallelism > 1
            ? InParallel(folder, options, batch => ContentBatches(folder, batch))
            : ContentBatches(folder, options);
        return batches.SelectMany(batch => batch);
    }

    private IObservable<IReadOnlyList<MailMessageContent>> ContentBatches(string folder, FetchOptions options)
        => Observable.Defer(() =>
        {
            var progress = new FetchProgress(options.SinceUid) { UidValidity = options.ExpectedUidValidity };
            return WithLease<IReadOnlyList<MailMessageContent>>(
                    folder,
                    (lease, observer, cancellationToken) => FetchContentsAsync(lease, folder, options, progress, observer, cancellationToken))
                .RetryWithBackoff(BackoffOptions.FromAccount(Account), Scheduler);
        });

    private static async Task FetchContentsAsync(
        ImapLease lease,
        string folder,
        FetchOptions options,
        FetchProgress progress,
        IObserver<IReadOnlyList<MailMessageContent>> observer,
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

        var imapFolder = mailFolder as ImapFolder ?? throw new NotSupportedException("Message contents need an IMAP folder.");
        var validity = mailFolder.UidValidity;
        for (var offset = 0; offset < uids.Count; offset += options.BatchSize)
        {
            var chunk = FolderQueries.ToUidSet(uids, offset, Math.Min(options.BatchSize, uids.Count - offset), validity);
            var batch = new List<MailMessageContent>(chunk.Count);
            await imapFolder.GetStreamsAsync(
                chunk,
                async (_, _, uid, stream, ct) =>
                {
                    var buffer = new MemoryStream(stream.CanSeek ? (int)stream.Length : 4096);
                    await stream.CopyToAsync(buffer, 81920, ct).ConfigureAwait(false);
                    batch.Add(new MailMessageContent(folder, uid.Id, validity, new ReadOnlyMemory<byte>(buffer.GetBuffer(), 0, (int)buffer.Length)));
                },
                cancellationToken).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                continue;
            }

            batch.Sort((a, b) => a.Uid.CompareTo(b.Uid));
            observer.OnNext(batch);
            progress.LastUid = Math.Max(progress.LastUid, chunk[chunk.Count - 1].Id);
            progress.Delivered += batch.Count;
        }
    }
}
