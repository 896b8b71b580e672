using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
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
        => MessageContentBatches(folder, options, demand: null).SelectMany(batch => batch);

    /// <summary>
    /// <see cref="MessageContents"/> a batch at a time, paced by <paramref name="demand"/> when given: the fetch
    /// awaits it after each batch, so a pull-based consumer (<c>AsyncStreams</c>) holds the server back.
    /// </summary>
    internal IObservable<IReadOnlyList<MailMessageContent>> MessageContentBatches(string folder, FetchOptions? options, Func<CancellationToken, Task>? demand)
    {
        CheckFolderName(folder);
        ThrowIfDisposed();
        options ??= FetchOptions.Default;
        var fetch = options;

        // The native reader runs its own parallel fetch (MaxParallelism bulk sessions); the MailKit path runs
        // ParallelFetch over pooled connections.
        if (NativeContentsOperation.Applies(folder, options))
        {
            return NativeContentsOperation.Create(Context, folder, options, demand);
        }

        return options.MaxParallelism > 1
            ? ParallelFetch.Run(Context, folder, options, plan => FetchBatches.Contents(Context, folder, fetch, plan), demand)
            : FetchBatches.Contents(Context, folder, options, plan: null, demand);
    }
}
