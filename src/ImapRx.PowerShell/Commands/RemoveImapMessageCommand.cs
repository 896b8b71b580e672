using System.Collections.Generic;
using System.Management.Automation;
using ImapRx.Operations;
using ImapRx.PowerShell.Infrastructure;

namespace ImapRx.PowerShell.Commands;

/// <summary>Remove-ImapMessage: permanently deletes exactly the given messages (UID EXPUNGE).</summary>
[Cmdlet(VerbsCommon.Remove, "ImapMessage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
public sealed class RemoveImapMessageCommand : UidBatchCmdlet
{
    /// <summary>On a server without UIDPLUS, allow a bare EXPUNGE (it also removes other clients' \Deleted messages).</summary>
    [Parameter]
    public SwitchParameter AllowExpungeOfAllDeleted { get; set; }

    /// <inheritdoc/>
    protected override void Act(ImapSession session, string folder, IReadOnlyCollection<uint> uids)
    {
        if (ShouldProcess(Describe(folder, uids), "Delete permanently"))
        {
            if (Drain(session.Client.Delete(folder, uids, new DeleteOptions { AllowExpungeOfAllDeleted = AllowExpungeOfAllDeleted }), _ => { }, folder))
            {
                WriteVerbose($"Deleted {uids.Count} message(s) from '{folder}' (UID EXPUNGE).");
            }
        }
    }
}
