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
public sealed class SyncImapFolderCommand : ImapFolderCmdlet
{
    /// <summary>The directory that holds the checkpoints, one file per account and folder (created if missing). A file here is an ImapInvalidArgument error.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string StatePath { get; set; } = string.Empty;

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var session = ResolveSession();
        var directory = SessionState.Path.GetUnresolvedProviderPathFromPSPath(StatePath);
        if (File.Exists(directory))
        {
            WriteError(ErrorIds.ToErrorRecord(
                new System.ArgumentException($"-StatePath '{directory}' is a file; give a directory to keep the checkpoints in (it is created if missing).", nameof(StatePath)),
                directory));
            return;
        }

        var store = new FileSyncStateStore(directory);
        WriteVerbose($"Syncing '{Folder}' of {session} from the checkpoint in {directory}.");
        var changes = 0;
        if (Drain(session.Client.Sync(Folder, store), e => { changes++; WriteObject(e); }, Folder))
        {
            WriteVerbose($"{changes} change(s) in '{Folder}'; the checkpoint moved to what was written.");
        }
    }
}
