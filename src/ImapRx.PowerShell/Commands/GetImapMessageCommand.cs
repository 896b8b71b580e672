using System.Management.Automation;
using ImapRx.Fetching;
using ImapRx.Model;
using ImapRx.PowerShell.Infrastructure;

namespace ImapRx.PowerShell.Commands;

/// <summary>Get-ImapMessage: streams message summaries (optionally with text/HTML bodies), never marking them read.</summary>
[Cmdlet(VerbsCommon.Get, "ImapMessage")]
[OutputType(typeof(MailMessageInfo))]
public sealed class GetImapMessageCommand : ImapCmdlet
{
    /// <summary>The folder; binds from a folder's FullName in the pipeline.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ArgumentCompleter(typeof(Completers.FolderNameCompleter))]
    public string Folder { get; set; } = "INBOX";

    /// <summary>Only messages with a UID above this (incremental fetch).</summary>
    [Parameter]
    public uint SinceUid { get; set; }

    /// <summary>Only these UIDs.</summary>
    [Parameter]
    [ValidateRange(1, uint.MaxValue)]
    public uint[]? Uid { get; set; }

    /// <summary>At most this many messages.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int First { get; set; }

    /// <summary>Also fetch the text and HTML bodies.</summary>
    [Parameter]
    public SwitchParameter IncludeBody { get; set; }

    /// <summary>Messages per round trip.</summary>
    [Parameter]
    [ValidateRange(1, 10000)]
    public int BatchSize { get; set; } = FetchOptions.DefaultBatchSize;

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
        var received = 0;
        var completed = Drain(
            session.Client.MessageBatches(Folder, options),
            batch =>
            {
                received += batch.Count;
                // A new record each time: hosts may keep the records they were given.
                WriteProgress(new ProgressRecord(1, "Get-ImapMessage", $"{received} message(s) from {Folder}"));
                WriteObject(batch, enumerateCollection: true);
            },
            Folder);
        WriteProgress(new ProgressRecord(1, "Get-ImapMessage", $"{received} message(s) from {Folder}") { RecordType = ProgressRecordType.Completed });
        if (completed)
        {
            WriteVerbose($"{received} message(s) from {Folder}.");
        }
    }
}
