using System;
using System.Collections.Generic;
using System.Management.Automation;
using ImapRx.Operations;
using ImapRx.PowerShell.Infrastructure;
using ImapRx.Model;

namespace ImapRx.PowerShell.Commands;

/// <summary>Set-ImapMessageFlag: marks messages read/unread, starred/unstarred, or sets flags and keywords.</summary>
[Cmdlet(VerbsCommon.Set, "ImapMessageFlag", SupportsShouldProcess = true)]
public sealed class SetImapMessageFlagCommand : UidBatchCmdlet
{
    /// <summary>Mark the messages read (add \Seen).</summary>
    [Parameter] public SwitchParameter Seen { get; set; }

    /// <summary>Mark the messages unread (remove \Seen).</summary>
    [Parameter] public SwitchParameter Unseen { get; set; }

    /// <summary>Star the messages (add \Flagged).</summary>
    [Parameter] public SwitchParameter Flagged { get; set; }

    /// <summary>Remove the star (remove \Flagged).</summary>
    [Parameter] public SwitchParameter Unflagged { get; set; }

    /// <summary>System flags to add, e.g. Answered, Deleted or Draft (Seen and Flagged have switches of their own).</summary>
    [Parameter]
    public MailFlags Flag { get; set; } = MailFlags.None;

    /// <summary>Keywords (custom flags) to add, e.g. $Label1 or Invoiced.</summary>
    [Parameter]
    public string[]? Keyword { get; set; }

    /// <inheritdoc/>
    protected override void Act(ImapSession session, string folder, IReadOnlyCollection<uint> uids)
    {
        FlagChange change;
        try
        {
            var add = Flag | (Seen ? MailFlags.Seen : 0) | (Flagged ? MailFlags.Flagged : 0);
            var remove = (Unseen ? MailFlags.Seen : 0) | (Unflagged ? MailFlags.Flagged : 0);
            change = new FlagChange(add, remove, Keyword);
        }
        catch (ArgumentException ex)
        {
            ThrowTerminatingError(ErrorIds.ToErrorRecord(ex, Flag));
            return;
        }

        var text = DescribeChange(change);
        if (ShouldProcess(Describe(folder, uids), text))
        {
            if (Drain(session.Client.StoreFlags(folder, uids, change), _ => { }, folder))
            {
                WriteVerbose($"Flags changed on {uids.Count} message(s) in '{folder}'.");
            }
        }
    }

    /// <summary>"Set flags: add \Seen, $Label1; remove \Flagged" (only the parts that change).</summary>
    internal static string DescribeChange(FlagChange change) => "Set flags: " + change;
}
