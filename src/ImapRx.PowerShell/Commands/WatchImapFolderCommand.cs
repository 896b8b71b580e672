using System;
using System.Management.Automation;
using System.Reactive.Linq;
using ImapRx.Model;
using ImapRx.PowerShell.Infrastructure;
using ImapRx.Watching;

namespace ImapRx.PowerShell.Commands;

/// <summary>
/// Watch-ImapFolder: writes folder events (arrivals, expunges, flag changes, reconnects) to the pipeline as they
/// happen, surviving IDLE restarts and reconnects. Ends after -Timeout, after -First events, or on Ctrl+C.
/// </summary>
[Cmdlet(VerbsCommon.Watch, "ImapFolder")]
[OutputType(typeof(MailboxEvent))]
public sealed class WatchImapFolderCommand : ImapCmdlet
{
    /// <summary>The folders to watch; binds from a folder's FullName in the pipeline.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ArgumentCompleter(typeof(Completers.FolderNameCompleter))]
    public string[] Folder { get; set; } = { "INBOX" };

    /// <summary>Stop after this long.</summary>
    [Parameter]
    public TimeSpan? Timeout { get; set; }

    /// <summary>Stop after this many mailbox events (status events don't count).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int First { get; set; }

    /// <summary>Include the summaries of arrived messages.</summary>
    [Parameter]
    public SwitchParameter IncludeSummary { get; set; }

    /// <summary>Also write connected/idling/reconnecting/resumed events.</summary>
    [Parameter]
    public SwitchParameter IncludeStatus { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var session = ResolveSession();
        var options = new WatchOptions { IncludeSummaries = IncludeSummary, IncludeStatusEvents = IncludeStatus };
        IObservable<MailboxEvent> events = session.Client.Watch(Folder, options);
        if (First > 0)
        {
            events = events.Where(e => e is MessagesArrived or MessagesExpunged or FlagsChanged or UidValidityChanged || IncludeStatus)
                .Take(First);
        }

        if (Timeout is { } timeout)
        {
            events = events.TakeUntil(Observable.Timer(timeout, session.Client.Scheduler));
        }

        WriteVerbose($"Watching {string.Join(", ", Folder)}; press Ctrl+C to stop.");
        Drain(events, e => WriteObject(e), Folder);
    }
}
