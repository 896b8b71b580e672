using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Threading;
using System.Threading.Tasks;
using ImapRx.Fetching;
using ImapRx.Model;
using ImapRx.Operations;
using ImapRx.Sync;
using MailKit.Search;
using MimeKit;

namespace ImapRx;

/// <summary>
/// Awaitable forms of the client's cold streams, for code that does not use Rx, and the spec's shortcuts
/// (mark read/unread, star/unstar, UIDVALIDITY). One naming rule (docs/streams.md, "Naming"): the stream's name
/// plus <c>Async</c>, with <c>Get</c> in front when the name is a noun (<c>Folders</c> to <c>GetFoldersAsync</c>,
/// <c>MimeMessage</c> to <c>GetMimeMessageAsync</c>) and as it is when it is a verb (<c>Append</c> to
/// <c>AppendAsync</c>). A stream of many items completes with a list, a stream of one with the item. The task
/// completes after the work has finished and its connection is back in the pool. Cancelling the token disposes
/// the subscription, which cancels the work.
/// </summary>
public static class ImapRxClientExtensions
{
    /// <summary>Every folder with its counts (the spec's <c>list_folders</c>).</summary>
    public static Task<IList<MailFolderInfo>> GetFoldersAsync(this IImapRxClient client, FolderListOptions? options = null, CancellationToken cancellationToken = default)
        => NotNull(client).Folders(options).ToList().ToTask(cancellationToken);

    /// <summary>One folder's status.</summary>
    public static Task<MailFolderInfo> GetFolderAsync(this IImapRxClient client, string folder, CancellationToken cancellationToken = default)
        => NotNull(client).Folder(folder).ToTask(cancellationToken);

    /// <summary>The folder's UIDVALIDITY (the spec's <c>get_uid_validity</c>).</summary>
    public static async Task<uint> GetUidValidityAsync(this IImapRxClient client, string folder, CancellationToken cancellationToken = default)
        => (await NotNull(client).GetFolderAsync(folder, cancellationToken).ConfigureAwait(false)).UidValidity;

    /// <summary>
    /// Every message matching <paramref name="options"/> as one list (the spec's <c>fetch_messages</c>).
    /// For big folders prefer <see cref="IImapRxClient.MessageBatches"/> or
    /// <see cref="ImapRxClientAsyncEnumerableExtensions.EnumerateMessagesAsync"/>, which stream.
    /// </summary>
    public static Task<IList<MailMessageInfo>> GetMessagesAsync(this IImapRxClient client, string folder, FetchOptions? options = null, CancellationToken cancellationToken = default)
        => NotNull(client).Messages(folder, options).ToList().ToTask(cancellationToken);

    /// <summary>
    /// Every whole message matching <paramref name="options"/> as one list, all in memory at once: for a handful of
    /// messages. For more prefer <see cref="ImapRxClientAsyncEnumerableExtensions.EnumerateMessageContentsAsync"/>.
    /// </summary>
    public static Task<IList<MailMessageContent>> GetMessageContentsAsync(this IImapRxClient client, string folder, FetchOptions? options = null, CancellationToken cancellationToken = default)
        => NotNull(client).MessageContents(folder, options).ToList().ToTask(cancellationToken);

    /// <summary>One whole parsed message (not marked read).</summary>
    public static Task<MimeMessage> GetMimeMessageAsync(this IImapRxClient client, string folder, uint uid, CancellationToken cancellationToken = default)
        => NotNull(client).MimeMessage(folder, uid).ToTask(cancellationToken);

    /// <summary>Writes one message's raw bytes to <paramref name="destination"/> (not marked read); returns the byte count.</summary>
    public static Task<long> SaveMessageAsync(this IImapRxClient client, string folder, uint uid, Stream destination, CancellationToken cancellationToken = default)
        => NotNull(client).SaveMessage(folder, uid, destination).ToTask(cancellationToken);

    /// <summary>UIDs matching an IMAP search string (the spec's <c>search</c>); <c>"ALL"</c> for every message.</summary>
    public static Task<IList<uint>> SearchAsync(this IImapRxClient client, string folder, string criteria, CancellationToken cancellationToken = default)
        => NotNull(client).Search(folder, criteria).ToList().ToTask(cancellationToken);

    /// <summary>UIDs matching a typed query, ascending.</summary>
    public static Task<IList<uint>> SearchAsync(this IImapRxClient client, string folder, SearchQuery query, CancellationToken cancellationToken = default)
        => NotNull(client).Search(folder, query).ToList().ToTask(cancellationToken);

    /// <summary>
    /// Appends a message; returns its UID, or null when the server does not report it (no UIDPLUS). Not retried
    /// (a retry could store it twice).
    /// </summary>
    public static Task<uint?> AppendAsync(this IImapRxClient client, string folder, MimeMessage message, MailFlags flags = MailFlags.None, DateTimeOffset? internalDate = null, CancellationToken cancellationToken = default)
        => NotNull(client).Append(folder, message, flags, internalDate).ToTask(cancellationToken);

    /// <summary>
    /// The changes since the checkpoint in <paramref name="store"/>, as one list; the new checkpoint is saved once
    /// the changes were read, before the task completes. For a first run over a big folder prefer the observable.
    /// </summary>
    public static Task<IList<MailboxEvent>> SyncAsync(this IImapRxClient client, string folder, ISyncStateStore store, SyncOptions? options = null, CancellationToken cancellationToken = default)
        => NotNull(client).Sync(folder, store, options).ToList().ToTask(cancellationToken);

    /// <summary>Applies a flag change to messages.</summary>
    public static Task StoreFlagsAsync(this IImapRxClient client, string folder, IReadOnlyCollection<uint> uids, FlagChange change, CancellationToken cancellationToken = default)
        => NotNull(client).StoreFlags(folder, uids, change).DefaultIfEmpty().ToTask(cancellationToken);

    /// <summary>Marks messages read (the spec's <c>mark_as_read</c>).</summary>
    public static Task MarkAsReadAsync(this IImapRxClient client, string folder, IReadOnlyCollection<uint> uids, CancellationToken cancellationToken = default)
        => client.StoreFlagsAsync(folder, uids, FlagChange.MarkRead, cancellationToken);

    /// <summary>Marks messages unread (the spec's <c>mark_as_unread</c>).</summary>
    public static Task MarkAsUnreadAsync(this IImapRxClient client, string folder, IReadOnlyCollection<uint> uids, CancellationToken cancellationToken = default)
        => client.StoreFlagsAsync(folder, uids, FlagChange.MarkUnread, cancellationToken);

    /// <summary>Stars messages (the spec's <c>add_star</c>).</summary>
    public static Task AddStarAsync(this IImapRxClient client, string folder, IReadOnlyCollection<uint> uids, CancellationToken cancellationToken = default)
        => client.StoreFlagsAsync(folder, uids, FlagChange.AddStar, cancellationToken);

    /// <summary>Removes stars (the spec's <c>remove_star</c>).</summary>
    public static Task RemoveStarAsync(this IImapRxClient client, string folder, IReadOnlyCollection<uint> uids, CancellationToken cancellationToken = default)
        => client.StoreFlagsAsync(folder, uids, FlagChange.RemoveStar, cancellationToken);

    /// <summary>Copies messages; returns old UID to new UID.</summary>
    public static Task<IReadOnlyDictionary<uint, uint>> CopyAsync(this IImapRxClient client, string folder, IReadOnlyCollection<uint> uids, string destination, CancellationToken cancellationToken = default)
        => NotNull(client).Copy(folder, uids, destination).ToTask(cancellationToken);

    /// <summary>Moves messages; returns old UID to new UID.</summary>
    public static Task<IReadOnlyDictionary<uint, uint>> MoveAsync(this IImapRxClient client, string folder, IReadOnlyCollection<uint> uids, string destination, CancellationToken cancellationToken = default)
        => NotNull(client).Move(folder, uids, destination).ToTask(cancellationToken);

    /// <summary>Deletes exactly these messages.</summary>
    public static Task DeleteAsync(this IImapRxClient client, string folder, IReadOnlyCollection<uint> uids, DeleteOptions? options = null, CancellationToken cancellationToken = default)
        => NotNull(client).Delete(folder, uids, options).DefaultIfEmpty().ToTask(cancellationToken);

    private static IImapRxClient NotNull(IImapRxClient client) => client ?? throw new ArgumentNullException(nameof(client));
}
