using System.Linq;
using System.Management.Automation;
using ImapRx.Model;
using ImapRx.PowerShell.Infrastructure;

namespace ImapRx.PowerShell.Commands;

/// <summary>Get-ImapFolder: lists folders with counts, filtered by name (wildcards) and type.</summary>
[Cmdlet(VerbsCommon.Get, "ImapFolder")]
[OutputType(typeof(MailFolderInfo))]
public sealed class GetImapFolderCommand : ImapCmdlet
{
    /// <summary>Folder names to match; wildcards allowed.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(Completers.FolderNameCompleter))]
    public string[] Name { get; set; } = { "*" };

    /// <summary>Only folders of these types (Inbox, Sent, Drafts, Trash, Spam, Archive, ...).</summary>
    [Parameter]
    public MailFolderType[]? Type { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var session = ResolveSession();
        var patterns = Name.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
        Drain(
            session.Client.Folders(),
            folder =>
            {
                if (patterns.Any(p => p.IsMatch(folder.FullName)) && (Type is null || Type.Contains(folder.Type)))
                {
                    WriteObject(folder);
                }
            },
            Name);
    }
}
