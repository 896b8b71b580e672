using System.IO;
using System.Management.Automation;
using ImapRx.PowerShell.Infrastructure;

namespace ImapRx.PowerShell.Commands;

/// <summary>Save-ImapMessage: writes messages to .eml files (not marked read).</summary>
[Cmdlet(VerbsData.Save, "ImapMessage", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class SaveImapMessageCommand : ImapCmdlet
{
    /// <summary>The folder; binds from a message's Folder in the pipeline.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completers.FolderNameCompleter))]
    public string Folder { get; set; } = string.Empty;

    /// <summary>The message's UID; binds from a message's Uid in the pipeline.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, uint.MaxValue)]
    public uint Uid { get; set; }

    /// <summary>A directory (files are named FOLDER-UID.eml) or a file path for a single message.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>Overwrite existing files.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var session = ResolveSession();
        var resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        var target = Directory.Exists(resolved)
            ? System.IO.Path.Combine(resolved, $"{SafeName(Folder)}-{Uid}.eml")
            : resolved;
        if (File.Exists(target) && !Force)
        {
            WriteError(new ErrorRecord(new IOException($"'{target}' exists; use -Force to overwrite."), ErrorIds.FileExists, ErrorCategory.ResourceExists, target));
            return;
        }

        if (!ShouldProcess(target, $"Save message {Uid} from '{Folder}'"))
        {
            return;
        }

        var temporary = target + ".partial";
        var saved = false;
        using (var file = File.Create(temporary))
        {
            saved = Drain(session.Client.SaveMessage(Folder, Uid, file), _ => { }, Uid);
        }

        if (!saved)
        {
            File.Delete(temporary);
            return;
        }

        // Write to a temporary name first so a failed download never leaves a truncated .eml behind.
        if (File.Exists(target))
        {
            File.Delete(target);
        }

        File.Move(temporary, target);
        WriteVerbose($"Saved message {Uid} from '{Folder}' to {target}.");
        WriteObject(new FileInfo(target));
    }

    private static string SafeName(string folder)
    {
        var chars = folder.ToCharArray();
        var invalid = System.IO.Path.GetInvalidFileNameChars();
        for (var i = 0; i < chars.Length; i++)
        {
            if (System.Array.IndexOf(invalid, chars[i]) >= 0 || chars[i] == '/' || chars[i] == '\\')
            {
                chars[i] = '_';
            }
        }

        return new string(chars);
    }
}
