using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Linq;
using System.Reactive;
using System.Reactive.Linq;
using System.Threading;
using ImapRx.Model;
using ImapRx.PowerShell.Infrastructure;
using ImapRx.Watching;

namespace ImapRx.PowerShell.Commands;

/// <summary>
/// Watch-ImapFolder: writes folder events (arrivals, expunges, flag changes, reconnects) to the pipeline as they
/// happen, surviving IDLE restarts and reconnects. Ends after -Timeout, after -First messages, or on Ctrl+C.
/// Folders piped in are collected and watched together once the input ends (a watch never ends by itself, so
/// watching each piped folder as it arrived would never reach the second one).
/// </summary>
[Cmdlet(VerbsCommon.Watch, "ImapFolder")]
[OutputType(typeof(MailboxEvent))]
public sealed class WatchImapFolderCommand : ImapCmdlet
{
    /// <summary>The folders to watch (INBOX by default); binds from a folder's FullName in the pipeline.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ArgumentCompleter(typeof(Completers.FolderNameCompleter))]
    public string[] Folder { get; set; } = { "INBOX" };

    /// <summary>Stop after this long, e.g. 00:05:00; without it (and without -First) the watch runs until Ctrl+C.</summary>
    [Parameter]
    public TimeSpan? Timeout { get; set; }

    /// <summary>
    /// Stop once this many messages have arrived (counted by message, not by event: five messages in one burst
    /// count five). The event that completes the count is cut to the messages still needed.
    /// </summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int First { get; set; }

    /// <summary>Include the summaries (sender, subject, flags) of arrived messages in MessagesArrived events.</summary>
    [Parameter]
    public SwitchParameter IncludeSummary { get; set; }

    /// <summary>Also write the watch's status events: WatchConnected, WatchIdling, WatchReconnecting and WatchResumed.</summary>
    [Parameter]
    public SwitchParameter IncludeStatus { get; set; }

    private readonly List<string> _folders = new();

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        foreach (var folder in Folder ?? Array.Empty<string>())
        {
            if (!_folders.Contains(folder, StringComparer.Ordinal))
            {
                _folders.Add(folder);
            }
        }
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        if (_folders.Count == 0)
        {
            return;
        }

        var session = ResolveSession();
        var folders = _folders.ToArray();
        var options = new WatchOptions { IncludeSummaries = IncludeSummary, IncludeStatusEvents = IncludeStatus };
        IObservable<MailboxEvent> events = session.Client.Watch(folders, options);
        if (Timeout is { } timeout)
        {
            events = events.TakeUntil(Observable.Timer(timeout, session.Client.Scheduler));
        }

        WriteVerbose($"Watching {string.Join(", ", folders)}{(First > 0 ? $" until {First} message(s) arrive" : string.Empty)}{(Timeout is { } t ? $" for at most {t}" : string.Empty)}; press Ctrl+C to stop.");
        var arrived = 0;
        var reachedFirst = false;
        using var enough = new CancellationTokenSource();
        var completed = Drain(
            events.TakeUntil(Observable.Create<Unit>(o => enough.Token.Register(() => o.OnNext(Unit.Default)))),
            e =>
            {
                if (reachedFirst)
                {
                    return;
                }

                if (First > 0 && e is MessagesArrived messages)
                {
                    var needed = First - arrived;
                    if (messages.Uids.Count >= needed)
                    {
                        reachedFirst = true;
                        e = messages.Uids.Count == needed ? messages : messages with
                        {
                            Uids = messages.Uids.Take(needed).ToList(),
                            Messages = messages.Messages?.Take(needed).ToList(),
                        };
                    }

                    arrived += ((MessagesArrived)e).Uids.Count;
                }

                WriteObject(e);
                if (reachedFirst)
                {
                    enough.Cancel();
                }
            },
            folders);
        if (completed)
        {
            WriteVerbose(reachedFirst ? $"Stopped after {arrived} message(s) (-First {First})."
                : Timeout is { } limit && session.IsConnected ? $"Stopped after {limit} (-Timeout)."
                : $"Stopped: {session} was disconnected (Disconnect-ImapServer).");
        }
    }
}
