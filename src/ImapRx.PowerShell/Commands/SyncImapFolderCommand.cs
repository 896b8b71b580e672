using System.IO;
using System.Management.Automation;
using ImapRx.Model;
using ImapRx.PowerShell.Infrastructure;
using ImapRx.Sync;

namespace ImapRx.PowerShell.Commands;

/// <summary>
/// Sync-ImapFolder: writes what changed in a folder since the last run (arrivals, expunges, flag changes, or a
/// UIDVALIDITY reset), keeping its checkpoint in a state directory. The checkpoint moves only after every change
/// was written to the pipeline.
/// </summary>
[Cmdlet(VerbsData.Sync, "ImapFolder")]
[OutputType(typeof(MailboxEvent))]
public sealed class SyncImapFolderCommand : ImapCmdlet
{
    /// <summary>The folder; binds from a folder's FullName in the pipeline.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ArgumentCompleter(typeof(Completers.FolderNameCompleter))]
    public string Folder { get; set; } = "INBOX";

    /// <summary>The directory that holds the checkpoints (created if missing).</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string StatePath { get; set; } = string.Empty;

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var session = ResolveSession();
        var store = new FileSyncStateStore(SessionState.Path.GetUnresolvedProviderPathFromPSPath(StatePath));
        Drain(session.Client.Sync(Folder, store), e => WriteObject(e), Folder);
    }
}
