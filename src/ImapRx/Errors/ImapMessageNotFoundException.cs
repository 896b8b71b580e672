using System;

namespace ImapRx;

/// <summary>No message with that UID exists in the folder (it was never there, or it was expunged).</summary>
public sealed class ImapMessageNotFoundException : ImapRxException
{
    /// <summary>Creates the exception.</summary>
    public ImapMessageNotFoundException(string folder, uint uid, Exception? innerException = null)
        : base(ImapErrorKind.MessageNotFound, $"No message with UID {uid} in '{folder}'.", innerException)
    {
        Folder = folder;
        Uid = uid;
    }

    // For a MailKit MessageNotFoundException that reached ImapErrors without the folder and UID it was about.
    internal ImapMessageNotFoundException(string message, Exception innerException)
        : base(ImapErrorKind.MessageNotFound, message, innerException)
    {
        Folder = string.Empty;
    }

    /// <summary>The folder.</summary>
    public string Folder { get; }

    /// <summary>The UID asked for.</summary>
    public uint Uid { get; }
}
