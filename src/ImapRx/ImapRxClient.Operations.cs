using System;
using System.Collections.Generic;
using System.Reactive;
using ImapRx.Model;
using ImapRx.Operations;
using MailKit;
using MailKit.Search;
using MimeKit;

namespace ImapRx;

public sealed partial class ImapRxClient
{
    /// <summary>
    /// Adds and removes flags/keywords on a set of messages: one STORE per change, not per message. Cold;
    /// retried after a transient failure (setting a flag twice is setting it once).
    /// </summary>
    public IObservable<Unit> StoreFlags(string folder, IReadOnlyCollection<uint> uids, FlagChange change)
    {
        CheckFolderName(folder);
        var set = ToUidSet(uids);
        if (change is null)
        {
            throw new ArgumentNullException(nameof(change));
        }

        ThrowIfDisposed();
        return WriteMessages.StoreFlags(Context, folder, set, change);
    }

    /// <summary>
    /// Copies messages to <paramref name="destination"/>. Emits the map of old UID to new UID (empty when the
    /// server has no UIDPLUS). Cold; not retried once the command may have reached the server (it would copy twice).
    /// </summary>
    public IObservable<IReadOnlyDictionary<uint, uint>> Copy(string folder, IReadOnlyCollection<uint> uids, string destination)
        => Transfer(folder, uids, destination, move: false);

    /// <summary>
    /// Moves messages to <paramref name="destination"/> (MOVE, else COPY + UID EXPUNGE of exactly those).
    /// Emits the map of old UID to new UID. Cold; not retried once the command may have reached the server.
    /// </summary>
    public IObservable<IReadOnlyDictionary<uint, uint>> Move(string folder, IReadOnlyCollection<uint> uids, string destination)
        => Transfer(folder, uids, destination, move: true);

    /// <summary>
    /// Appends a message; emits its new UID, or null when the server does not report it (no UIDPLUS). Cold; not
    /// retried once the command may have reached the server (it would store the message twice).
    /// </summary>
    public IObservable<uint?> Append(string folder, MimeMessage message, MailFlags flags = MailFlags.None, DateTimeOffset? internalDate = null)
    {
        CheckFolderName(folder);
        if (message is null)
        {
            throw new ArgumentNullException(nameof(message));
        }

        ThrowIfDisposed();
        return WriteMessages.Append(Context, folder, message, flags, internalDate);
    }

    /// <summary>
    /// Deletes exactly the given messages: \Deleted, then UID EXPUNGE of those UIDs (UIDPLUS). Never a bare
    /// EXPUNGE unless <see cref="DeleteOptions.AllowExpungeOfAllDeleted"/> says so. Cold; retried after a
    /// transient failure (deleting the same UIDs again changes nothing).
    /// </summary>
    public IObservable<Unit> Delete(string folder, IReadOnlyCollection<uint> uids, DeleteOptions? options = null)
    {
        CheckFolderName(folder);
        var set = ToUidSet(uids);
        ThrowIfDisposed();
        return WriteMessages.Delete(Context, folder, set, options ?? DeleteOptions.Default);
    }

    private IObservable<IReadOnlyDictionary<uint, uint>> Transfer(string folder, IReadOnlyCollection<uint> uids, string destination, bool move)
    {
        CheckFolderName(folder);
        CheckFolderName(destination, nameof(destination));
        var set = ToUidSet(uids);
        ThrowIfDisposed();
        return WriteMessages.Transfer(Context, folder, set, destination, move);
    }

    private static UniqueIdSet ToUidSet(IReadOnlyCollection<uint> uids)
    {
        if (uids is null)
        {
            throw new ArgumentNullException(nameof(uids));
        }

        if (uids.Count == 0)
        {
            throw new ArgumentException("At least one UID is required.", nameof(uids));
        }

        var set = new UniqueIdSet(SortOrder.Ascending);
        foreach (var uid in uids)
        {
            CheckUid(uid, nameof(uids));
            set.Add(new UniqueId(uid));
        }

        return set;
    }
}
