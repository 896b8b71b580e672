using System;

namespace ImapRx;

/// <summary>The named folder does not exist on the server (the spec returned an empty list; we say so).</summary>
public sealed class ImapFolderNotFoundException : ImapRxException
{
    /// <summary>Creates the exception.</summary>
    public ImapFolderNotFoundException(string folder, Exception? innerException = null)
        : base(ImapErrorKind.FolderNotFound, $"The folder '{folder}' does not exist on the server.", innerException)
    {
        Folder = folder;
    }

    /// <summary>The folder name that was asked for.</summary>
    public string Folder { get; }
}
