using System;
using System.Collections.Generic;
using System.Management.Automation;
using ImapRx.Operations;
using ImapRx.PowerShell.Infrastructure;
using MailKit;

namespace ImapRx.PowerShell.Commands;

/// <summary>Set-ImapMessageFlag: marks messages read/unread, starred/unstarred, or sets flags and keywords.</summary>
[Cmdlet(VerbsCommon.Set, "ImapMessageFlag", SupportsShouldProcess = true)]
public sealed class SetImapMessageFlagCommand : UidBatchCmdlet
{
#pragma warning disable SA1600
    [Parameter] public SwitchParameter Seen { get; set; }
    [Parameter] public SwitchParameter Unseen { get; set; }
    [Parameter] public SwitchParameter Flagged { get; set; }
    [Parameter] public SwitchParameter Unflagged { get; set; }
#pragma warning restore SA1600

    /// <summary>System flags to add: Answered, Deleted, Draft (Seen/Flagged have switches).</summary>
    [Parameter]
    public MessageFlags Flag { get; set; } = MessageFlags.None;

    /// <summary>Keywords to add, e.g. $Label1.</summary>
    [Parameter]
    public string[]? Keyword { get; set; }

    /// <inheritdoc/>
    protected override void Act(ImapSession session, string folder, IReadOnlyCollection<uint> uids)
    {
        FlagChange change;
        try
        {
            var add = Flag | (Seen ? MessageFlags.Seen : 0) | (Flagged ? MessageFlags.Flagged : 0);
            var remove = (Unseen ? MessageFlags.Seen : 0) | (Unflagged ? MessageFlags.Flagged : 0);
            change = new FlagChange(add, remove, Keyword);
        }
        catch (ArgumentException ex)
        {
            ThrowTerminatingError(ErrorIds.ToErrorRecord(ex, Flag));
            return;
        }

        if (ShouldProcess(Describe(folder, uids), $"Set flags {change}"))
        {
            Drain(session.Client.StoreFlags(folder, uids, change), _ => { }, folder);
        }
    }
}
