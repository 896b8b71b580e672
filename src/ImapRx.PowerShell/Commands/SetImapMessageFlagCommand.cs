using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ImapRx.Operations;
using ImapRx.PowerShell.Infrastructure;
using MailKit;

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
    public MessageFlags Flag { get; set; } = MessageFlags.None;

    /// <summary>Keywords (custom flags) to add, e.g. $Label1 or Invoiced.</summary>
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
    internal static string DescribeChange(FlagChange change)
    {
        static IEnumerable<string> Names(MessageFlags flags, IReadOnlyCollection<string> keywords)
        {
            foreach (var flag in new[] { MessageFlags.Seen, MessageFlags.Answered, MessageFlags.Flagged, MessageFlags.Deleted, MessageFlags.Draft })
            {
                if ((flags & flag) != 0)
                {
                    yield return "\\" + flag;
                }
            }

            foreach (var keyword in keywords)
            {
                yield return keyword;
            }
        }

        var parts = new List<string>();
        var add = Names(change.AddFlags, change.AddKeywords).ToList();
        var remove = Names(change.RemoveFlags, change.RemoveKeywords).ToList();
        if (add.Count > 0)
        {
            parts.Add("add " + string.Join(", ", add));
        }

        if (remove.Count > 0)
        {
            parts.Add("remove " + string.Join(", ", remove));
        }

        return "Set flags: " + (parts.Count == 0 ? "no change" : string.Join("; ", parts));
    }
}
