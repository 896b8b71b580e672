using System.Management.Automation;

namespace ImapRx.PowerShell.Infrastructure;

/// <summary>
/// Base for cmdlets that work in one folder: owns <c>-Folder</c> (position 0, INBOX by default), its
/// <c>FullName</c> alias so folders from Get-ImapFolder pipe in, and the folder-name completer.
/// </summary>
public abstract class ImapFolderCmdlet : ImapCmdlet
{
    /// <summary>The folder, e.g. INBOX or Projects/2026; binds from a folder's FullName in the pipeline. The default is INBOX.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ArgumentCompleter(typeof(Completers.FolderNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Folder { get; set; } = "INBOX";
}
