using System.Collections.Generic;
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
    /// <summary>
    /// Folder names to match, e.g. INBOX, Projects/2026 or Projects*; wildcards allowed. A name without wildcards
    /// that matches no folder is an ImapFolderNotFound error. The default is every folder.
    /// </summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(Completers.FolderNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = { "*" };

    /// <summary>Only folders of these types (Inbox, Sent, Drafts, Trash, Spam, Archive, ...).</summary>
    [Parameter]
    public MailFolderType[]? Type { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var session = ResolveSession();
        var patterns = Name.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
        var matched = new HashSet<string>(System.StringComparer.OrdinalIgnoreCase);
        var listed = 0;
        WriteVerbose($"Listing the folders of {session} with their counts (STATUS per folder), matching {string.Join(", ", Name)}.");
        var completed = Drain(
            session.Client.Folders(),
            folder =>
            {
                listed++;
                var hits = Name.Where((n, i) => patterns[i].IsMatch(folder.FullName)).ToList();
                matched.UnionWith(hits);
                if (hits.Count == 0 || (Type is not null && !Type.Contains(folder.Type)))
                {
                    return;
                }

                // A folder that cannot be selected has no UIDNEXT; null says so, 0 would claim "next UID is 0".
                WriteObject(folder.IsSelectable ? folder : folder with { UidNext = null });
            },
            Name);
        if (!completed)
        {
            return;
        }

        WriteVerbose($"{listed} folder(s) listed.");
        foreach (var name in Name.Where(n => !WildcardPattern.ContainsWildcardCharacters(n) && !matched.Contains(n)))
        {
            WriteError(ErrorIds.ToErrorRecord(new ImapFolderNotFoundException(name), name));
        }
    }
}
