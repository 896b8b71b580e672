using System.Collections.Generic;
using System.Management.Automation;
using ImapRx.PowerShell.Infrastructure;

namespace ImapRx.PowerShell.Commands;

/// <summary>Copy-ImapMessage: copies messages to another folder; outputs one object per message (old folder and UID, new folder and UID).</summary>
[Cmdlet(VerbsCommon.Copy, "ImapMessage", SupportsShouldProcess = true)]
[OutputType(typeof(ImapMessageTransfer))]
public sealed class CopyImapMessageCommand : UidBatchCmdlet
{
    /// <summary>The folder to copy the messages to; it must exist.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(Completers.FolderNameCompleter))]
    public string Destination { get; set; } = string.Empty;

    /// <inheritdoc/>
    protected override void Act(ImapSession session, string folder, IReadOnlyCollection<uint> uids)
    {
        if (ShouldProcess(Describe(folder, uids), $"Copy to '{Destination}'"))
        {
            var list = uids as IReadOnlyList<uint> ?? new List<uint>(uids);
            Drain(session.Client.Copy(folder, list, Destination), map => WriteTransfers("Copy", folder, list, Destination, map), folder);
        }
    }
}
