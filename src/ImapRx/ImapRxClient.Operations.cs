using System;
using System.Collections.Generic;
using System.Linq;
using System.Reactive;
using System.Threading;
using System.Threading.Tasks;
using ImapRx.Operations;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MimeKit;

namespace ImapRx;

public sealed partial class ImapRxClient
{
    /// <summary>Adds and removes flags/keywords on a set of messages: one STORE per change, not per message. Cold.</summary>
    public IObservable<Unit> StoreFlags(string folder, IReadOnlyCollection<uint> uids, FlagChange change)
    {
        CheckFolderName(folder);
        var set = ToUidSet(uids);
        if (change is null)
        {
            throw new ArgumentNullException(nameof(change));
        }

        return WithLease<Unit>(folder, async (lease, observer, cancellationToken) =>
        {
            var mailFolder = await lease.OpenFolderAsync(folder, FolderAccess.ReadWrite, cancellationToken).ConfigureAwait(false);
            if (change.AddFlags != MessageFlags.None || change.AddKeywords.Count > 0)
            {
                await mailFolder.StoreAsync(set, FlagsRequest(StoreAction.Add, change.AddFlags, change.AddKeywords), cancellationToken).ConfigureAwait(false);
            }

            if (change.RemoveFlags != MessageFlags.None || change.RemoveKeywords.Count > 0)
            {
                await mailFolder.StoreAsync(set, FlagsRequest(StoreAction.Remove, change.RemoveFlags, change.RemoveKeywords), cancellationToken).ConfigureAwait(false);
            }

            observer.OnNext(Unit.Default);
        });
    }

    /// <summary>
    /// Copies messages to <paramref name="destination"/>. Emits the map of old UID to new UID (empty when the
    /// server has no UIDPLUS). Cold.
    /// </summary>
    public IObservable<IReadOnlyDictionary<uint, uint>> Copy(string folder, IReadOnlyCollection<uint> uids, string destination)
        => Transfer(folder, uids, destination, move: false);

    /// <summary>
    /// Moves messages to <paramref name="destination"/> (MOVE, else COPY + UID EXPUNGE of exactly those).
    /// Emits the map of old UID to new UID. Cold.
    /// </summary>
    public IObservable<IReadOnlyDictionary<uint, uint>> Move(string folder, IReadOnlyCollection<uint> uids, string destination)
        => Transfer(folder, uids, destination, move: true);

    /// <summary>Appends a message; emits its new UID when the server reports it (UIDPLUS). Cold.</summary>
    public IObservable<uint> Append(string folder, MimeMessage message, MessageFlags flags = MessageFlags.None, DateTimeOffset? internalDate = null)
    {
        CheckFolderName(folder);
        if (message is null)
        {
            throw new ArgumentNullException(nameof(message));
        }

        return WithLease<uint>(null, async (lease, observer, cancellationToken) =>
        {
            var mailFolder = await lease.GetFolderAsync(folder, cancellationToken).ConfigureAwait(false);
            var request = new AppendRequest(message, flags);
            if (internalDate is { } date)
            {
                request.InternalDate = date;
            }

            var uid = await mailFolder.AppendAsync(request, cancellationToken).ConfigureAwait(false);
            if (uid is { } assigned)
            {
                observer.OnNext(assigned.Id);
            }
        });
    }

    /// <summary>
    /// Deletes exactly the given messages: \Deleted, then UID EXPUNGE of those UIDs (UIDPLUS). Never a bare
    /// EXPUNGE unless <see cref="DeleteOptions.AllowExpungeOfAllDeleted"/> says so. Cold.
    /// </summary>
    public IObservable<Unit> Delete(string folder, IReadOnlyCollection<uint> uids, DeleteOptions? options = null)
    {
        CheckFolderName(folder);
        var set = ToUidSet(uids);
        options ??= DeleteOptions.Default;
        return WithLease<Unit>(folder, async (lease, observer, cancellationToken) =>
        {
            var mailFolder = await lease.OpenFolderAsync(folder, FolderAccess.ReadWrite, cancellationToken).ConfigureAwait(false);
            var hasUidPlus = lease.Client.Capabilities.HasFlag(ImapCapabilities.UidPlus);
            if (!hasUidPlus && !options.AllowExpungeOfAllDeleted)
            {
                throw new NotSupportedException(
                    "The server has no UIDPLUS, so only a bare EXPUNGE could delete, and it would also remove messages other " +
                    "clients marked \\Deleted. Set DeleteOptions.AllowExpungeOfAllDeleted to accept that.");
            }

            await mailFolder.StoreAsync(set, new StoreFlagsRequest(StoreAction.Add, MessageFlags.Deleted) { Silent = true }, cancellationToken).ConfigureAwait(false);
            if (hasUidPlus)
            {
                await mailFolder.ExpungeAsync(set, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await mailFolder.ExpungeAsync(cancellationToken).ConfigureAwait(false);
            }

            observer.OnNext(Unit.Default);
        });
    }

    private IObservable<IReadOnlyDictionary<uint, uint>> Transfer(string folder, IReadOnlyCollection<uint> uids, string destination, bool move)
    {
        CheckFolderName(folder);
        CheckFolderName(destination, nameof(destination));
        var set = ToUidSet(uids);
        return WithLease<IReadOnlyDictionary<uint, uint>>(folder, async (lease, observer, cancellationToken) =>
        {
            var target = await lease.GetFolderAsync(destination, cancellationToken).ConfigureAwait(false);
            var mailFolder = await lease.OpenFolderAsync(folder, move ? FolderAccess.ReadWrite : FolderAccess.ReadOnly, cancellationToken).ConfigureAwait(false);
            UniqueIdMap map;
            if (move)
            {
                // MailKit uses MOVE when offered, else COPY + \Deleted + UID EXPUNGE of exactly these UIDs (UIDPLUS).
                map = await mailFolder.MoveToAsync(set, target, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                map = await mailFolder.CopyToAsync(set, target, cancellationToken).ConfigureAwait(false);
            }

            var result = new Dictionary<uint, uint>();
            foreach (var pair in map)
            {
                result[pair.Key.Id] = pair.Value.Id;
            }

            observer.OnNext(result);
        });
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

    private static StoreFlagsRequest FlagsRequest(StoreAction action, MessageFlags flags, IReadOnlyCollection<string> keywords)
    {
        var request = new StoreFlagsRequest(action, flags) { Silent = true };
        foreach (var keyword in keywords)
        {
            request.Keywords.Add(keyword);
        }

        return request;
    }
}
