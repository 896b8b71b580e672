using System;
using ImapRx.Fetching;
using ImapRx.Model;
using ImapRx.Operations;

namespace ImapRx;

public sealed partial class ImapRxClient
{
    /// <summary>
    /// Lists the folders with their counts (the spec's <c>list_folders</c>). Cold: each subscription runs
    /// one LIST (LIST-STATUS where offered; STATUS per folder otherwise). Retried after a transient failure.
    /// </summary>
    public IObservable<MailFolderInfo> Folders(FolderListOptions? options = null)
    {
        ThrowIfDisposed();
        return ListFolders.All(Context, options ?? FolderListOptions.Default);
    }

    /// <summary>One folder's status. Cold; retried after a transient failure.</summary>
    /// <exception cref="ImapFolderNotFoundException">The folder does not exist (raised through the observable).</exception>
    public IObservable<MailFolderInfo> Folder(string folder)
    {
        CheckFolderName(folder);
        ThrowIfDisposed();
        return ListFolders.One(Context, folder);
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
