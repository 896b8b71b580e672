namespace ImapRx.PowerShell.Infrastructure;

/// <summary>
/// One message copied or moved by Copy-ImapMessage or Move-ImapMessage: where it was and where it is now.
/// <see cref="Folder"/> and <see cref="Uid"/> name the new copy, so the object pipes straight into
/// Set-ImapMessageFlag, Save-ImapMessage or Remove-ImapMessage.
/// </summary>
public sealed class ImapMessageTransfer
{
    internal ImapMessageTransfer(string operation, string sourceFolder, uint sourceUid, string folder, uint? uid)
    {
        Operation = operation;
        SourceFolder = sourceFolder;
        SourceUid = sourceUid;
        Folder = folder;
        Uid = uid;
    }

    /// <summary>Copy or Move.</summary>
    public string Operation { get; }

    /// <summary>The folder the message was in.</summary>
    public string SourceFolder { get; }

    /// <summary>The message's UID in <see cref="SourceFolder"/>.</summary>
    public uint SourceUid { get; }

    /// <summary>The folder the message is in now (the destination).</summary>
    public string Folder { get; }

    /// <summary>The message's UID in <see cref="Folder"/>; null when the server did not say (no UIDPLUS).</summary>
    public uint? Uid { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{SourceFolder}#{SourceUid} -> {Folder}#{Uid}";
}
