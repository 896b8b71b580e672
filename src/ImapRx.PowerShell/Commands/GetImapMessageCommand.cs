using System;
using System.Linq;
using System.Management.Automation;
using ImapRx.Fetching;
using ImapRx.Model;
using ImapRx.PowerShell.Infrastructure;

namespace ImapRx.PowerShell.Commands;

/// <summary>Get-ImapMessage: streams message summaries (optionally with text/HTML bodies), never marking them read.</summary>
[Cmdlet(VerbsCommon.Get, "ImapMessage")]
[OutputType(typeof(MailMessageInfo))]
public sealed class GetImapMessageCommand : ImapFolderCmdlet
{
    /// <summary>The cmdlet's batch size: small enough that the first messages reach the pipeline at once.</summary>
    public const int DefaultBatchSize = 100;

    /// <summary>Only messages with a UID above this (incremental fetch).</summary>
    [Parameter]
    public uint SinceUid { get; set; }

    /// <summary>Only these UIDs.</summary>
    [Parameter]
    [ValidateRange(1, uint.MaxValue)]
    public uint[]? Uid { get; set; }

    /// <summary>At most this many messages, lowest UIDs first.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int First { get; set; }

    /// <summary>Also fetch the text and HTML bodies.</summary>
    [Parameter]
    public SwitchParameter IncludeBody { get; set; }

    /// <summary>Messages per round trip; each batch is written to the pipeline as soon as it arrives. The default is 100.</summary>
    [Parameter]
    [ValidateRange(1, 10000)]
    public int BatchSize { get; set; } = DefaultBatchSize;

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var session = ResolveSession();
        var options = new FetchOptions
        {
            BatchSize = BatchSize,
            SinceUid = SinceUid,
            Uids = Uid,
            Limit = First > 0 ? First : null,
            Bodies = IncludeBody ? BodyFetchMode.TextAndHtml : BodyFetchMode.None,
        };

        // The total makes the progress a percentage: the exact count for -Uid, otherwise the folder's message count
        // (capped by -First); with -SinceUid only an upper bound is known, so no percentage.
        int? total = Uid is not null ? Uid.Distinct().Count() : null;
        if (total is null && SinceUid == 0)
        {
            MailFolderInfo? info = null;
            if (!Drain(session.Client.Folder(Folder), f => info = f, Folder))
            {
                return;
            }

            total = First > 0 ? Math.Min(First, info!.TotalCount) : info!.TotalCount;
        }

        WriteVerbose($"Fetching {(total is { } t ? t.ToString(System.Globalization.CultureInfo.InvariantCulture) : "the")} message summaries{(IncludeBody ? " with bodies" : string.Empty)} from '{Folder}' in batches of {BatchSize}.");
        var received = 0;
        var completed = Drain(
            session.Client.MessageBatches(Folder, options),
            batch =>
            {
                received += batch.Count;
                var status = total is { } all ? $"{received} of {all} message(s) from {Folder}" : $"{received} message(s) from {Folder}";
                // A new record each time: hosts may keep the records they were given.
                WriteProgress(new ProgressRecord(1, "Get-ImapMessage", status)
                {
                    PercentComplete = total is { } n && n > 0 ? Math.Min(100, received * 100 / n) : -1,
                });
                WriteObject(batch, enumerateCollection: true);
            },
            Folder);
        WriteProgress(new ProgressRecord(1, "Get-ImapMessage", $"{received} message(s) from {Folder}") { RecordType = ProgressRecordType.Completed });
        if (completed)
        {
            WriteVerbose($"{received} message(s) from '{Folder}'.");
        }
    }
}
