using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using ImapRx.PowerShell.Infrastructure;
using MimeKit;

namespace ImapRx.PowerShell.Commands;

/// <summary>
/// Save-ImapAttachment: writes the attachments of messages to a directory under their own file names (not marked
/// read). Outputs one FileInfo per file, carrying the message's Folder and Uid, so the output pipes into
/// Set-ImapMessageFlag.
/// </summary>
[Cmdlet(VerbsData.Save, "ImapAttachment", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class SaveImapAttachmentCommand : ImapCmdlet
{
    // Files this invocation wrote: two attachments called invoice.pdf in one run never overwrite each other, -Force or not.
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);

    /// <summary>The folder the message is in; binds from a message's Folder in the pipeline.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completers.FolderNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Folder { get; set; } = string.Empty;

    /// <summary>The message's UID; binds from a message's Uid in the pipeline.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, uint.MaxValue)]
    public uint Uid { get; set; }

    /// <summary>The directory to save into (created if missing).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>Only attachments whose file name matches one of these patterns, e.g. *.pdf; wildcards allowed. The default is every attachment.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = { "*" };

    /// <summary>
    /// Overwrite files that were there before. Without it an existing name gets a number, e.g. invoice (2).pdf, so
    /// nothing is ever overwritten.
    /// </summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var session = ResolveSession();
        var directory = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        if (File.Exists(directory))
        {
            WriteError(ErrorIds.ToErrorRecord(new ArgumentException($"-Path '{directory}' is a file; give a directory to save the attachments in.", nameof(Path)), directory));
            return;
        }

        var patterns = Name.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
        WriteVerbose($"Reading message {Uid} in '{Folder}' for attachments matching {string.Join(", ", Name)}.");
        MimeMessage? message = null;
        if (!Drain(session.Client.MimeMessage(Folder, Uid), m => message = m, Uid) || message is null)
        {
            return;
        }

        using (message)
        {
            var index = 0;
            foreach (var part in message.Attachments.OfType<MimePart>())
            {
                index++;
                var fileName = SafeFileName(part.FileName, index);
                if (!patterns.Any(p => p.IsMatch(fileName)))
                {
                    continue;
                }

                var target = Target(directory, fileName);
                if (!ShouldProcess(target, $"Save attachment '{fileName}' of message {Uid} in '{Folder}'"))
                {
                    continue;
                }

                Directory.CreateDirectory(directory);
                // A temporary name first, so a failure never leaves half a file under the real name.
                var temporary = target + ".partial";
                using (var stream = File.Create(temporary))
                {
                    part.Content?.DecodeTo(stream); // a part without content is saved as an empty file, not skipped silently
                }

                if (File.Exists(target))
                {
                    File.Delete(target);
                }

                File.Move(temporary, target);
                _written.Add(target);
                var file = PSObject.AsPSObject(new FileInfo(target));
                file.Properties.Add(new PSNoteProperty("Folder", Folder));
                file.Properties.Add(new PSNoteProperty("Uid", Uid));
                WriteObject(file);
            }

            WriteVerbose($"Message {Uid} in '{Folder}' has {index} attachment(s).");
        }
    }

    private string Target(string directory, string fileName)
    {
        var target = System.IO.Path.Combine(directory, fileName);
        if (!_written.Contains(target) && (Force || !File.Exists(target)))
        {
            return target;
        }

        var stem = System.IO.Path.GetFileNameWithoutExtension(fileName);
        var extension = System.IO.Path.GetExtension(fileName);
        for (var n = 2; ; n++)
        {
            var candidate = System.IO.Path.Combine(directory, $"{stem} ({n}){extension}");
            if (!_written.Contains(candidate) && !File.Exists(candidate))
            {
                return candidate;
            }
        }
    }

    // A name from a stranger's mail: no directories (../../x), no characters the file system refuses, never empty.
    private static string SafeFileName(string? name, int index)
    {
        var leaf = System.IO.Path.GetFileName((name ?? string.Empty).Replace('\\', '/').Split('/').Last()).Trim();
        var invalid = System.IO.Path.GetInvalidFileNameChars();
        var cleaned = new string(leaf.Select(c => Array.IndexOf(invalid, c) >= 0 || char.IsControl(c) ? '_' : c).ToArray()).Trim('.', ' ');
        return cleaned.Length == 0 ? $"attachment-{index}.bin" : cleaned;
    }
}
