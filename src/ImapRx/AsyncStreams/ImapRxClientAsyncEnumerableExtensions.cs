using System;
using System.Collections.Generic;
using System.Linq;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Runtime.CompilerServices;
using System.Threading;
using ImapRx.AsyncStreams;
using ImapRx.Fetching;
using ImapRx.Model;
using ImapRx.Watching;
using MailKit.Search;

namespace ImapRx;

/// <summary>
/// Pull-based forms of the client's streams for <c>await foreach</c>, named <c>Enumerate</c> + the stream's name +
/// <c>Async</c> (see docs/streams.md, "Naming"). The fetches are paced by the consumer: the server is asked for the
/// next batch only after the consumer has taken the last one, so a consumer that stops reading stops the fetch one
/// batch later and memory stays at about two batches, whatever the folder's size. Cancel through the
/// <c>cancellationToken</c> argument or <c>WithCancellation</c>; leaving the loop early (<c>break</c>, an exception)
/// stops the work and returns its connection to the pool.
/// </summary>
/// <remarks>
/// The pacing reaches the server through <see cref="ImapRxClient"/>. Any other <see cref="IImapRxClient"/> (a fake in
/// your tests) is read through its observable, buffering what it emits.
/// </remarks>
public static class ImapRxClientAsyncEnumerableExtensions
{
    /// <summary>How many unread events <see cref="EnumerateWatchAsync(IImapRxClient, string, WatchOptions?, int, CancellationToken)"/> holds by default.</summary>
    public const int DefaultWatchCapacity = 10_000;

    /// <summary>
    /// <see cref="IImapRxClient.Messages"/> for <c>await foreach</c>: summaries in UID order, fetched a
    /// <see cref="FetchOptions.BatchSize"/> at a time as the consumer reads (one batch ahead at most). Resumes after
    /// the last UID delivered when a connection drops, as the observable does.
    /// </summary>
    public static IAsyncEnumerable<MailMessageInfo> EnumerateMessagesAsync(this IImapRxClient client, string folder, FetchOptions? options = null, CancellationToken cancellationToken = default)
    {
        NotNull(client);
        ImapRxClient.CheckFolderName(folder);
        return client is ImapRxClient paced
            ? PullStream.Items<MailMessageInfo>(demand => paced.MessageBatches(folder, options, demand), cancellationToken)
            : PullStream.Items<MailMessageInfo>(_ => client.MessageBatches(folder, options), cancellationToken);
    }

    /// <summary>
    /// <see cref="IImapRxClient.MessageContents"/> for <c>await foreach</c>: whole raw messages in UID order, fetched
    /// a <see cref="FetchOptions.BatchSize"/> at a time as the consumer reads (one batch ahead at most, times
    /// <see cref="FetchOptions.MaxParallelism"/> when that is above 1).
    /// </summary>
    public static IAsyncEnumerable<MailMessageContent> EnumerateMessageContentsAsync(this IImapRxClient client, string folder, FetchOptions? options = null, CancellationToken cancellationToken = default)
    {
        NotNull(client);
        ImapRxClient.CheckFolderName(folder);
        return client is ImapRxClient paced
            ? PullStream.Items<MailMessageContent>(demand => paced.MessageContentBatches(folder, options, demand), cancellationToken)
            : PullStream.Items<MailMessageContent>(_ => client.MessageContents(folder, options).Select(c => (IReadOnlyList<MailMessageContent>)new[] { c }), cancellationToken);
    }

    /// <summary>
    /// <see cref="IImapRxClient.Search(string, string)"/> for <c>await foreach</c>; a malformed string throws here, at
    /// call time. The server answers a SEARCH in one response, so the UIDs (4 bytes each) are held while you read
    /// them; the connection goes back to the pool before the first UID is yielded.
    /// </summary>
    public static IAsyncEnumerable<uint> EnumerateSearchAsync(this IImapRxClient client, string folder, string criteria, CancellationToken cancellationToken = default)
        => Uids(NotNull(client).Search(folder, criteria), cancellationToken);

    /// <summary><see cref="IImapRxClient.Search(string, SearchQuery)"/> for <c>await foreach</c>, as the string form.</summary>
    public static IAsyncEnumerable<uint> EnumerateSearchAsync(this IImapRxClient client, string folder, SearchQuery query, CancellationToken cancellationToken = default)
        => Uids(NotNull(client).Search(folder, query), cancellationToken);

    /// <summary>
    /// <see cref="IImapRxClient.Watch(string, WatchOptions?)"/> for <c>await foreach</c>. A watch cannot be paused on
    /// the server, so events wait in a buffer of <paramref name="capacity"/>: a consumer that falls further behind
    /// reads every buffered event and then gets <see cref="ImapWatchOverflowException"/> (nothing is dropped
    /// silently). Endless until cancelled or the loop is left; leaving it unsubscribes from the shared watch.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is below 1.</exception>
    public static IAsyncEnumerable<MailboxEvent> EnumerateWatchAsync(this IImapRxClient client, string folder, WatchOptions? options = null, int capacity = DefaultWatchCapacity, CancellationToken cancellationToken = default)
    {
        CheckCapacity(capacity);
        return Events(NotNull(client).Watch(folder, options), capacity, cancellationToken);
    }

    /// <summary><see cref="IImapRxClient.Watch(IReadOnlyCollection{string}, WatchOptions?)"/> for <c>await foreach</c>, buffered as the one-folder form.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is below 1.</exception>
    public static IAsyncEnumerable<MailboxEvent> EnumerateWatchAsync(this IImapRxClient client, IReadOnlyCollection<string> folders, WatchOptions? options = null, int capacity = DefaultWatchCapacity, CancellationToken cancellationToken = default)
    {
        CheckCapacity(capacity);
        return Events(NotNull(client).Watch(folders, options), capacity, cancellationToken);
    }

    private static IAsyncEnumerable<MailboxEvent> Events(IObservable<MailboxEvent> watch, int capacity, CancellationToken cancellationToken)
        => PullStream.Bounded(watch, capacity, static limit => new ImapWatchOverflowException(limit), cancellationToken);

    private static async IAsyncEnumerable<uint> Uids(IObservable<uint> search, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var uids = await search.ToList().ToTask(cancellationToken).ConfigureAwait(false);
        foreach (var uid in uids)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return uid;
        }
    }

    private static void CheckCapacity(int capacity)
    {
        if (capacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "The watch buffer needs room for at least one event.");
        }
    }

    private static IImapRxClient NotNull(IImapRxClient client) => client ?? throw new ArgumentNullException(nameof(client));
}
