using System;
using System.Collections.Generic;
using System.IO;
using System.Reactive.Linq;
using System.Threading;
using System.Threading.Tasks;
using ImapRx.Fetching;
using ImapRx.Model;
using ImapRx.Operations;
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
        => MessageBatches(folder, options, demand: null);

    /// <summary>
    /// <see cref="MessageBatches(string, FetchOptions?)"/>, paced by <paramref name="demand"/> when given: the fetch
    /// awaits it after each batch, so a pull-based consumer (<c>AsyncStreams</c>) holds the server back.
    /// </summary>
    internal IObservable<IReadOnlyList<MailMessageInfo>> MessageBatches(string folder, FetchOptions? options, Func<CancellationToken, Task>? demand)
    {
        CheckFolderName(folder);
        ThrowIfDisposed();
        options ??= FetchOptions.Default;
        var fetch = options;

        // The native reader runs its own parallel fetch (MaxParallelism bulk sessions); the MailKit path runs
        // ParallelFetch over pooled connections.
        if (NativeFetchOperation.Applies(folder, options))
        {
            return NativeFetchOperation.Create(Context, folder, options, demand);
        }

        return options.MaxParallelism > 1
            ? ParallelFetch.Run(Context, folder, options, plan => FetchBatches.Summaries(Context, folder, fetch, plan), demand)
            : FetchBatches.Summaries(Context, folder, options, plan: null, demand);
    }

    /// <summary>The same as <see cref="MessageBatches(string, FetchOptions?)"/>, one message at a time.</summary>
    public IObservable<MailMessageInfo> Messages(string folder, FetchOptions? options = null)
        => MessageBatches(folder, options).SelectMany(batch => batch);

    /// <summary>Downloads and parses one whole message (BODY.PEEK: it is not marked read). Cold; retried after a transient failure.</summary>
    public IObservable<MimeMessage> MimeMessage(string folder, uint uid)
    {
        CheckFolderName(folder);
        CheckUid(uid);
        ThrowIfDisposed();
        return ReadMessage.Parsed(Context, folder, uid);
    }

    /// <summary>
    /// Writes the raw RFC 5322 bytes of one message to <paramref name="destination"/> (not marked read), exactly as
    /// the server stores them. Emits the number of bytes written. Cold; the download is retried after a transient
    /// failure, and <paramref name="destination"/> is written only once the whole message has arrived.
    /// </summary>
    public IObservable<long> SaveMessage(string folder, uint uid, Stream destination)
    {
        CheckFolderName(folder);
        CheckUid(uid);
        if (destination is null)
        {
            throw new ArgumentNullException(nameof(destination));
        }

        ThrowIfDisposed();
        return ReadMessage.Save(Context, folder, uid, destination);
    }

    internal static void CheckUid(uint uid, string parameterName = "uid")
    {
        if (uid == 0)
        {
            throw new ArgumentOutOfRangeException(parameterName, uid, "0 is not a valid UID (UIDs start at 1).");
        }
    }
}
