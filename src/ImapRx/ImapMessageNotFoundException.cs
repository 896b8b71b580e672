using System;

namespace ImapRx;

/// <summary>No message with that UID exists in the folder (it was never there, or it was expunged).</summary>
public sealed class ImapMessageNotFoundException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ImapMessageNotFoundException(string folder, uint uid, Exception? innerException = null)
        : base($"No message with UID {uid} in '{folder}'.", innerException)
    {
        Folder = folder;
        Uid = uid;
    }

    /// <summary>The folder.</summary>
    public string Folder { get; }

    /// <summary>The UID asked for.</summary>
    public uint Uid { get; }
}
