using System.Collections.Generic;
using System.Management.Automation;
using ImapRx.PowerShell.Infrastructure;

namespace ImapRx.PowerShell.Commands;

/// <summary>Move-ImapMessage: moves messages to another folder; outputs one object per message (old folder and UID, new folder and UID).</summary>
[Cmdlet(VerbsCommon.Move, "ImapMessage", SupportsShouldProcess = true)]
[OutputType(typeof(ImapMessageTransfer))]
public sealed class MoveImapMessageCommand : UidBatchCmdlet
{
    /// <summary>The folder to move the messages to; it must exist.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(Completers.FolderNameCompleter))]
    public string Destination { get; set; } = string.Empty;

    /// <inheritdoc/>
    protected override void Act(ImapSession session, string folder, IReadOnlyCollection<uint> uids)
    {
        if (ShouldProcess(Describe(folder, uids), $"Move to '{Destination}'"))
        {
            var list = uids as IReadOnlyList<uint> ?? new List<uint>(uids);
            Drain(session.Client.Move(folder, list, Destination), map => WriteTransfers("Move", folder, list, Destination, map), folder);
        }
    }
}
