using ImapRx.Model;

namespace ImapRx.Tests.Model;

public sealed class FolderTypeClassifierTests
{
    [Theory]
    [InlineData("INBOX", "", MailFolderType.Inbox)]
    [InlineData("inbox", "", MailFolderType.Inbox)]
    [InlineData("Whatever", "\\Sent", MailFolderType.Sent)]
    [InlineData("Whatever", "\\Junk", MailFolderType.Spam)]
    [InlineData("Whatever", "\\Archive", MailFolderType.Archive)]
    [InlineData("Whatever", "\\All", MailFolderType.All)]
    [InlineData("Whatever", "\\Flagged", MailFolderType.Flagged)]
    [InlineData("Whatever", "\\Important", MailFolderType.Important)]
    [InlineData("Posteingang", "\\Inbox", MailFolderType.Inbox)]      // XLIST
    [InlineData("Whatever", "\\Spam", MailFolderType.Spam)]           // XLIST
    [InlineData("Whatever", "\\Starred", MailFolderType.Flagged)]     // XLIST
    [InlineData("Whatever", "\\AllMail", MailFolderType.All)]         // XLIST
    [InlineData("Trash", "\\Sent", MailFolderType.Sent)]              // attributes win over names
    [InlineData("[Gmail]/Sent Mail", "", MailFolderType.Sent)]
    [InlineData("[Google Mail]/Spam", "", MailFolderType.Spam)]
    [InlineData("[Gmail]/All Mail", "", MailFolderType.All)]
    [InlineData("[Gmail]/Starred", "", MailFolderType.Flagged)]
    [InlineData("Sent Items", "", MailFolderType.Sent)]
    [InlineData("Deleted Items", "", MailFolderType.Trash)]
    [InlineData("Junk Email", "", MailFolderType.Spam)]
    [InlineData("Bulk Mail", "", MailFolderType.Spam)]
    [InlineData("Sent Messages", "", MailFolderType.Sent)]
    [InlineData("Deleted Messages", "", MailFolderType.Trash)]
    [InlineData("Gesendete Elemente", "", MailFolderType.Sent)]
    [InlineData("Entwürfe", "", MailFolderType.Drafts)]
    [InlineData("Papierkorb", "", MailFolderType.Trash)]
    [InlineData("INBOX/Gelöschte Elemente", "", MailFolderType.Trash)]
    [InlineData("Éléments envoyés", "", MailFolderType.Sent)]
    [InlineData("Brouillons", "", MailFolderType.Drafts)]
    [InlineData("Courrier indésirable", "", MailFolderType.Spam)]
    [InlineData("Elementos enviados", "", MailFolderType.Sent)]
    [InlineData("Borradores", "", MailFolderType.Drafts)]
    [InlineData("Papelera", "", MailFolderType.Trash)]
    [InlineData("Correo no deseado", "", MailFolderType.Spam)]
    [InlineData("Projects/2026", "", MailFolderType.Custom)]
    [InlineData("Projects/INBOX", "", MailFolderType.Custom)]          // only the top-level INBOX is the inbox
    [InlineData("Receipts", "\\HasNoChildren", MailFolderType.Custom)]
    public void Classify_AttributesAndNames_GiveTheFolderType(string fullName, string attributes, MailFolderType expected)
    {
        var list = attributes.Length == 0 ? Array.Empty<string>() : attributes.Split(' ');

        Assert.Equal(expected, FolderTypeClassifier.Classify(list, fullName, '/'));
    }

    [Theory]
    [InlineData("[Gmail]/Sent Mail", '/', "Sent Mail")]
    [InlineData("INBOX.Archive.2026", '.', "2026")]
    [InlineData("Flat", null, "Flat")]
    public void LastSegment_FullName_IsTheDisplayName(string fullName, char? delimiter, string expected)
        => Assert.Equal(expected, FolderTypeClassifier.LastSegment(fullName, delimiter));
}
