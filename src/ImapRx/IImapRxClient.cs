using System;
using System.Collections.Generic;
using System.IO;
using System.Reactive;
using ImapRx.Configuration;
using ImapRx.Fetching;
using ImapRx.Model;
using ImapRx.Operations;
using ImapRx.Sync;
using ImapRx.Watching;
using MailKit;
using MailKit.Search;
using MimeKit;

namespace ImapRx;

/// <summary>
/// The public face of ImapRx for one account. Observable members are cold unless documented hot:
/// each subscription leases a connection, does the work, and disposing it cancels the work.
/// Argument errors throw at call time, never at subscription. Program against this interface so your
/// own pipelines can be tested with a fake in virtual time; the awaitable forms are extension methods
/// in <see cref="ImapRxClientExtensions"/>, so a fake implements only these members.
/// </summary>
public interface IImapRxClient : IAsyncDisposable
{
    /// <summary>The account this client talks to.</summary>
    ImapAccountOptions Account { get; }

    /// <summary>Lists folders with their counts. Cold.</summary>
    IObservable<MailFolderInfo> Folders(FolderListOptions? options = null);

    /// <summary>One folder's status. Cold; errors with <see cref="ImapFolderNotFoundException"/>.</summary>
    IObservable<MailFolderInfo> Folder(string folder);

    /// <summary>Message summaries in UID order, one list per batch. Cold.</summary>
    IObservable<IReadOnlyList<MailMessageInfo>> MessageBatches(string folder, FetchOptions? options = null);

    /// <summary>Message summaries in UID order, one at a time. Cold.</summary>
    IObservable<MailMessageInfo> Messages(string folder, FetchOptions? options = null);

    /// <summary>Whole messages as raw bytes (not marked read, not parsed), in UID order, batched. Cold.</summary>
    IObservable<MailMessageContent> MessageContents(string folder, FetchOptions? options = null);

    /// <summary>One whole parsed message (not marked read). Cold.</summary>
    IObservable<MimeMessage> MimeMessage(string folder, uint uid);

    /// <summary>Writes one message's bytes to a stream; emits the byte count. Cold.</summary>
    IObservable<long> SaveMessage(string folder, uint uid, Stream destination);

    /// <summary>UIDs matching a typed query, ascending. Cold.</summary>
    IObservable<uint> Search(string folder, SearchQuery query);

    /// <summary>UIDs matching an IMAP search string, ascending; a malformed string throws at call time. Cold.</summary>
    IObservable<uint> Search(string folder, string criteria);

    /// <summary>Adds/removes flags and keywords on a set of messages in one STORE each. Cold.</summary>
    IObservable<Unit> StoreFlags(string folder, IReadOnlyCollection<uint> uids, FlagChange change);

    /// <summary>Copies messages; emits old UID to new UID. Cold.</summary>
    IObservable<IReadOnlyDictionary<uint, uint>> Copy(string folder, IReadOnlyCollection<uint> uids, string destination);

    /// <summary>Moves messages; emits old UID to new UID. Cold.</summary>
    IObservable<IReadOnlyDictionary<uint, uint>> Move(string folder, IReadOnlyCollection<uint> uids, string destination);

    /// <summary>Appends a message; emits its UID, or null when the server does not report it (no UIDPLUS). Cold.</summary>
    IObservable<uint?> Append(string folder, MimeMessage message, MailFlags flags = MailFlags.None, DateTimeOffset? internalDate = null);

    /// <summary>Deletes exactly these messages (UID EXPUNGE). Cold.</summary>
    IObservable<Unit> Delete(string folder, IReadOnlyCollection<uint> uids, DeleteOptions? options = null);

    /// <summary>HOT, shared: live changes to a folder (IDLE), surviving restarts and reconnects without loss or duplicates.</summary>
    IObservable<MailboxEvent> Watch(string folder, WatchOptions? options = null);

    /// <summary>HOT, shared: live changes to several folders, merged.</summary>
    IObservable<MailboxEvent> Watch(IReadOnlyCollection<string> folders, WatchOptions? options = null);

    /// <summary>Cold: changes since the stored checkpoint (reset on UIDVALIDITY change); saves the new checkpoint after delivery.</summary>
    IObservable<MailboxEvent> Sync(string folder, ISyncStateStore store, SyncOptions? options = null);
}
