using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ImapRx.Fetching;
using ImapRx.Model;
using MailKit;

namespace ImapRx;

public sealed partial class ImapRxClient
{
    private const StatusItems FolderStatusItems =
        StatusItems.Count | StatusItems.Unread | StatusItems.UidValidity | StatusItems.UidNext | StatusItems.HighestModSeq;

    /// <summary>
    /// Lists the folders with their counts (the spec's <c>list_folders</c>). Cold: each subscription runs
    /// one LIST (LIST-STATUS where offered; STATUS per folder otherwise).
    /// </summary>
    public IObservable<MailFolderInfo> Folders(FolderListOptions? options = null)
    {
        options ??= FolderListOptions.Default;
        return WithLease<MailFolderInfo>(null, async (lease, observer, cancellationToken) =>
        {
            var client = lease.Client;
            var items = options.IncludeCounts ? FolderStatusItems : StatusItems.None;
            if (!client.Capabilities.HasFlag(MailKit.Net.Imap.ImapCapabilities.CondStore))
            {
                items &= ~StatusItems.HighestModSeq;
            }

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
    }

    /// <summary>One folder's status. Cold.</summary>
    /// <exception cref="ImapFolderNotFoundException">The folder does not exist (raised through the observable).</exception>
    public IObservable<MailFolderInfo> Folder(string folder)
    {
        CheckFolderName(folder);
        return WithLease<MailFolderInfo>(null, async (lease, observer, cancellationToken) =>
        {
            var mailFolder = await lease.GetFolderAsync(folder, cancellationToken).ConfigureAwait(false);
            var items = FolderStatusItems;
            if (!lease.Client.Capabilities.HasFlag(MailKit.Net.Imap.ImapCapabilities.CondStore))
            {
                items &= ~StatusItems.HighestModSeq;
            }

            if ((mailFolder.Attributes & FolderAttributes.NoSelect) == 0)
            {
                await mailFolder.StatusAsync(items, cancellationToken).ConfigureAwait(false);
            }

            observer.OnNext(FolderInfoMapper.FromFolder(mailFolder));
        });
    }

    internal static void CheckFolderName(string folder, string parameterName = "folder")
    {
        if (folder is null)
        {
            throw new ArgumentNullException(parameterName);
        }

        if (folder.Length == 0)
        {
            throw new ArgumentException("A folder name is required.", parameterName);
        }

        if (folder.IndexOfAny(new[] { '\r', '\n', '\0' }) >= 0)
        {
            throw new ArgumentException("A folder name must not contain CR, LF or NUL.", parameterName);
        }
    }
}
