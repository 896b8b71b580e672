using System.Collections.Generic;
using System.Management.Automation;
using ImapRx.PowerShell.Infrastructure;

namespace ImapRx.PowerShell.Commands;

/// <summary>Move-ImapMessage: moves messages to another folder; outputs the old-to-new UID map.</summary>
[Cmdlet(VerbsCommon.Move, "ImapMessage", SupportsShouldProcess = true)]
[OutputType(typeof(IReadOnlyDictionary<uint, uint>))]
public sealed class MoveImapMessageCommand : UidBatchCmdlet
{
    /// <summary>The folder to move to.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(Completers.FolderNameCompleter))]
    public string Destination { get; set; } = string.Empty;

    /// <inheritdoc/>
    protected override void Act(ImapSession session, string folder, IReadOnlyCollection<uint> uids)
    {
        if (ShouldProcess(Describe(folder, uids), $"Move to '{Destination}'"))
        {
            Drain(session.Client.Move(folder, uids, Destination), map => WriteObject(map), folder);
        }
    }
}
