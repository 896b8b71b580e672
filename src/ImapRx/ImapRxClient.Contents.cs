using System;
using System.Reactive.Linq;
using ImapRx.Fetching;
using ImapRx.Model;
using ImapRx.Operations;

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
        ThrowIfDisposed();
        options ??= FetchOptions.Default;
        var fetch = options;
        var batches = options.MaxParallelism > 1
            ? ParallelFetch.Run(Context, folder, options, plan => FetchBatches.Contents(Context, folder, fetch, plan))
            : FetchBatches.Contents(Context, folder, options, plan: null);
        return batches.SelectMany(batch => batch);
    }
}
