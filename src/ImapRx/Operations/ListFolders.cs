using System;
using System.Linq;
using ImapRx.Fetching;
using ImapRx.Model;
using MailKit;
using MailKit.Net.Imap;

namespace ImapRx.Operations;

/// <summary>The folder list (one LIST, with LIST-STATUS where offered) and one folder's status. Reads: retried.</summary>
internal static class ListFolders
{
    private const StatusItems CountItems =
        StatusItems.Count | StatusItems.Unread | StatusItems.UidValidity | StatusItems.UidNext | StatusItems.HighestModSeq;

    internal static IObservable<MailFolderInfo> All(ClientContext context, FolderListOptions options)
        => Leased.Run<MailFolderInfo>(context, "Folders", retry: true, async (lease, observer, cancellationToken) =>
        {
            var client = lease.Client;
            var items = options.IncludeCounts ? StatusItemsFor(client) : StatusItems.None;
            var folders = await client.GetFoldersAsync(client.PersonalNamespaces[0], items, options.SubscribedOnly, cancellationToken).ConfigureAwait(false);
            var inbox = client.Inbox;
            if (!folders.Any(f => string.Equals(f.FullName, inbox.FullName, StringComparison.OrdinalIgnoreCase)))
            {
                if (options.IncludeCounts)
                {
                    await inbox.StatusAsync(items, cancellationToken).ConfigureAwait(false);
                }

                observer.OnNext(FolderInfoMapper.FromFolder(inbox));
            }

            foreach (var folder in folders)
            {
                observer.OnNext(FolderInfoMapper.FromFolder(folder));
            }
        });

    internal static IObservable<MailFolderInfo> One(ClientContext context, string folder)
        => Leased.Run<MailFolderInfo>(context, $"Folder('{folder}')", retry: true, async (lease, observer, cancellationToken) =>
        {
            var mailFolder = await lease.GetFolderAsync(folder, cancellationToken).ConfigureAwait(false);
            if ((mailFolder.Attributes & FolderAttributes.NoSelect) == 0)
            {
                await mailFolder.StatusAsync(StatusItemsFor(lease.Client), cancellationToken).ConfigureAwait(false);
            }

            observer.OnNext(FolderInfoMapper.FromFolder(mailFolder));
        });

    private static StatusItems StatusItemsFor(ImapClient client)
        => client.Capabilities.HasFlag(ImapCapabilities.CondStore) ? CountItems : CountItems & ~StatusItems.HighestModSeq;
}
