using System.Collections.Generic;
using System.Management.Automation;
using ImapRx.PowerShell.Infrastructure;

namespace ImapRx.PowerShell.Commands;

/// <summary>Copy-ImapMessage: copies messages to another folder; outputs the old-to-new UID map.</summary>
[Cmdlet(VerbsCommon.Copy, "ImapMessage", SupportsShouldProcess = true)]
[OutputType(typeof(IReadOnlyDictionary<uint, uint>))]
public sealed class CopyImapMessageCommand : UidBatchCmdlet
{
    /// <summary>The folder to copy to.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(Completers.FolderNameCompleter))]
    public string Destination { get; set; } = string.Empty;

    /// <inheritdoc/>
    protected override void Act(ImapSession session, string folder, IReadOnlyCollection<uint> uids)
    {
        if (ShouldProcess(Describe(folder, uids), $"Copy to '{Destination}'"))
        {
            Drain(session.Client.Copy(folder, uids, Destination), map => WriteObject(map), folder);
        }
    }
}
