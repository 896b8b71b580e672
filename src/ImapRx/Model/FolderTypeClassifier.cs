using System;
using System.Collections.Generic;
using System.Linq;
using MailKit;

namespace ImapRx.Model;

/// <summary>
/// Decides what a folder is for: RFC 6154 SPECIAL-USE attributes first, then XLIST-style attributes servers
/// send without advertising SPECIAL-USE, then well-known and localized names.
/// </summary>
internal static class FolderTypeClassifier
{
    private static readonly Dictionary<string, MailFolderType> ByAttribute = new(StringComparer.OrdinalIgnoreCase)
    {
        // RFC 6154
        ["\\Sent"] = MailFolderType.Sent,
        ["\\Drafts"] = MailFolderType.Drafts,
        ["\\Trash"] = MailFolderType.Trash,
        ["\\Junk"] = MailFolderType.Spam,
        ["\\Archive"] = MailFolderType.Archive,
        ["\\All"] = MailFolderType.All,
        ["\\Flagged"] = MailFolderType.Flagged,
        ["\\Important"] = MailFolderType.Important,

        // XLIST (Gmail's pre-6154 extension) and other non-standard spellings.
        ["\\Inbox"] = MailFolderType.Inbox,
        ["\\Spam"] = MailFolderType.Spam,
        ["\\Starred"] = MailFolderType.Flagged,
        ["\\AllMail"] = MailFolderType.All,
    };

    private static readonly Dictionary<string, MailFolderType> ByName = BuildNameTable();

    /// <summary>Classifies from the raw attributes and the full name.</summary>
    internal static MailFolderType Classify(IEnumerable<string> attributes, string fullName, char? delimiter)
    {
        if (fullName is null)
        {
            throw new ArgumentNullException(nameof(fullName));
        }

        if (string.Equals(fullName, "INBOX", StringComparison.OrdinalIgnoreCase))
        {
            return MailFolderType.Inbox;
        }

        foreach (var attribute in attributes ?? Enumerable.Empty<string>())
        {
            if (ByAttribute.TryGetValue(attribute, out var type))
            {
                return type;
            }
        }

        if (ByName.TryGetValue(fullName, out var byFullName))
        {
            return byFullName;
        }

        var leaf = LastSegment(fullName, delimiter);
        return ByName.TryGetValue(leaf, out var byLeaf) ? byLeaf : MailFolderType.Custom;
    }

    /// <summary>Classifies a MailKit folder.</summary>
    internal static MailFolderType Classify(IMailFolder folder)
        => Classify(AttributeNames(folder.Attributes), folder.FullName, folder.DirectorySeparator == '\0' ? null : folder.DirectorySeparator);

    /// <summary>The last path segment of a folder name.</summary>
    internal static string LastSegment(string fullName, char? delimiter)
    {
        if (delimiter is not { } d)
        {
            return fullName;
        }

        var index = fullName.LastIndexOf(d);
        return index >= 0 && index < fullName.Length - 1 ? fullName.Substring(index + 1) : fullName;
    }

    /// <summary>MailKit's attribute flags as the IMAP attribute names the server sent.</summary>
    internal static IReadOnlyList<string> AttributeNames(FolderAttributes attributes)
    {
        var names = new List<string>();
        foreach (FolderAttributes flag in Enum.GetValues(typeof(FolderAttributes)))
        {
            if (flag != FolderAttributes.None && (attributes & flag) == flag && IsSingleBit((int)flag))
            {
                names.Add(flag switch
                {
                    FolderAttributes.NoInferiors => "\\NoInferiors",
                    FolderAttributes.NoSelect => "\\Noselect",
                    FolderAttributes.Marked => "\\Marked",
                    FolderAttributes.Unmarked => "\\Unmarked",
                    FolderAttributes.NonExistent => "\\NonExistent",
                    FolderAttributes.Subscribed => "\\Subscribed",
                    FolderAttributes.Remote => "\\Remote",
                    FolderAttributes.HasChildren => "\\HasChildren",
                    FolderAttributes.HasNoChildren => "\\HasNoChildren",
                    FolderAttributes.Inbox => "\\Inbox",
                    _ => "\\" + flag,
                });
            }
        }

        return names;
    }

    private static bool IsSingleBit(int value) => value != 0 && (value & (value - 1)) == 0;

    private static Dictionary<string, MailFolderType> BuildNameTable()
    {
        var table = new Dictionary<string, MailFolderType>(StringComparer.OrdinalIgnoreCase);
        void Add(MailFolderType type, params string[] names)
        {
            foreach (var name in names)
            {
                table[name] = type;
            }
        }

        foreach (var prefix in new[] { "[Gmail]/", "[Google Mail]/" })
        {
            Add(MailFolderType.Sent, prefix + "Sent Mail");
            Add(MailFolderType.Drafts, prefix + "Drafts");
            Add(MailFolderType.Trash, prefix + "Trash", prefix + "Bin");
            Add(MailFolderType.Spam, prefix + "Spam");
            Add(MailFolderType.All, prefix + "All Mail");
            Add(MailFolderType.Flagged, prefix + "Starred");
            Add(MailFolderType.Important, prefix + "Important");
        }

        // English (generic, Outlook/Microsoft 365, Yahoo, iCloud).
        Add(MailFolderType.Sent, "Sent", "Sent Items", "Sent Messages", "Sent Mail", "Outbox Sent");
        Add(MailFolderType.Drafts, "Drafts", "Draft");
        Add(MailFolderType.Trash, "Trash", "Deleted Items", "Deleted Messages", "Deleted", "Bin");
        Add(MailFolderType.Spam, "Spam", "Junk", "Junk Email", "Junk E-mail", "Junk Mail", "Bulk Mail", "Bulk");
        Add(MailFolderType.Archive, "Archive", "Archives");

        // German.
        Add(MailFolderType.Sent, "Gesendet", "Gesendete Elemente", "Gesendete Objekte", "Gesendete Nachrichten");
        Add(MailFolderType.Drafts, "Entwürfe", "Entwurf");
        Add(MailFolderType.Trash, "Papierkorb", "Gelöschte Elemente", "Gelöschte Objekte");
        Add(MailFolderType.Spam, "Junk-E-Mail", "Werbung");
        Add(MailFolderType.Archive, "Archiv");

        // French.
        Add(MailFolderType.Sent, "Envoyés", "Éléments envoyés", "Messages envoyés");
        Add(MailFolderType.Drafts, "Brouillons");
        Add(MailFolderType.Trash, "Corbeille", "Éléments supprimés");
        Add(MailFolderType.Spam, "Courrier indésirable", "Pourriel", "Indésirables");

        // Spanish.
        Add(MailFolderType.Sent, "Enviados", "Elementos enviados", "Mensajes enviados");
        Add(MailFolderType.Drafts, "Borradores");
        Add(MailFolderType.Trash, "Papelera", "Elementos eliminados");
        Add(MailFolderType.Spam, "Correo no deseado");
        Add(MailFolderType.Archive, "Archivo");
        return table;
    }
}
