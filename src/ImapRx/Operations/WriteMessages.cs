using System;
using System.Collections.Generic;
using System.Reactive;
using MailKit;
using MailKit.Net.Imap;
using ImapRx.Model;
using MimeKit;

namespace ImapRx.Operations;

/// <summary>
/// The writes. STORE and UID EXPUNGE of given UIDs do the same done twice, so they are retried like reads;
/// APPEND, COPY and MOVE may have reached the server before a connection broke and would act twice, so they are
/// not (the connection itself is still re-opened with the account's connect retries).
/// </summary>
internal static class WriteMessages
{
    internal static IObservable<Unit> StoreFlags(ClientContext context, string folder, UniqueIdSet set, FlagChange change)
        => Leased.Run<Unit>(context, $"StoreFlags in '{folder}'", retry: true, async (lease, observer, cancellationToken) =>
        {
            var mailFolder = await lease.OpenFolderAsync(folder, FolderAccess.ReadWrite, cancellationToken).ConfigureAwait(false);
            if (change.AddFlags != MailFlags.None || change.AddKeywords.Count > 0)
            {
                await mailFolder.StoreAsync(set, FlagsRequest(StoreAction.Add, change.AddFlags.ToMailKit(), change.AddKeywords), cancellationToken).ConfigureAwait(false);
            }

            if (change.RemoveFlags != MailFlags.None || change.RemoveKeywords.Count > 0)
            {
                await mailFolder.StoreAsync(set, FlagsRequest(StoreAction.Remove, change.RemoveFlags.ToMailKit(), change.RemoveKeywords), cancellationToken).ConfigureAwait(false);
            }

            observer.OnNext(Unit.Default);
        });

    internal static IObservable<IReadOnlyDictionary<uint, uint>> Transfer(ClientContext context, string folder, UniqueIdSet set, string destination, bool move)
        => Leased.Run<IReadOnlyDictionary<uint, uint>>(context, $"{(move ? "Move" : "Copy")} from '{folder}' to '{destination}'", retry: false, async (lease, observer, cancellationToken) =>
        {
            var target = await lease.GetFolderAsync(destination, cancellationToken).ConfigureAwait(false);
            var mailFolder = await lease.OpenFolderAsync(folder, move ? FolderAccess.ReadWrite : FolderAccess.ReadOnly, cancellationToken).ConfigureAwait(false);

            // MailKit uses MOVE when offered, else COPY + \Deleted + UID EXPUNGE of exactly these UIDs (UIDPLUS).
            var map = move
                ? await mailFolder.MoveToAsync(set, target, cancellationToken).ConfigureAwait(false)
                : await mailFolder.CopyToAsync(set, target, cancellationToken).ConfigureAwait(false);
            var result = new Dictionary<uint, uint>();
            foreach (var pair in map)
            {
                result[pair.Key.Id] = pair.Value.Id;
            }

            observer.OnNext(result);
        });

    internal static IObservable<uint?> Append(ClientContext context, string folder, MimeMessage message, MailFlags flags, DateTimeOffset? internalDate)
        => Leased.Run<uint?>(context, $"Append to '{folder}'", retry: false, async (lease, observer, cancellationToken) =>
        {
            var mailFolder = await lease.GetFolderAsync(folder, cancellationToken).ConfigureAwait(false);
            var request = new AppendRequest(message, flags.ToMailKit());
            if (internalDate is { } date)
            {
                request.InternalDate = date;
            }

            // Without UIDPLUS the server does not say which UID it gave the message: null says so.
            var uid = await mailFolder.AppendAsync(request, cancellationToken).ConfigureAwait(false);
            observer.OnNext(uid?.Id);
        });

    internal static IObservable<Unit> Delete(ClientContext context, string folder, UniqueIdSet set, DeleteOptions options)
        => Leased.Run<Unit>(context, $"Delete in '{folder}'", retry: true, async (lease, observer, cancellationToken) =>
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
