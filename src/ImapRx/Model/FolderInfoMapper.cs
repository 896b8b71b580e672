using MailKit;

namespace ImapRx.Model;

/// <summary>Turns a MailKit folder (after LIST-STATUS or STATUS) into <see cref="MailFolderInfo"/>.</summary>
internal static class FolderInfoMapper
{
    internal static MailFolderInfo FromFolder(IMailFolder folder)
    {
        char? delimiter = folder.DirectorySeparator == '\0' ? null : folder.DirectorySeparator;
        var attributes = FolderTypeClassifier.AttributeNames(folder.Attributes);
        return new MailFolderInfo
        {
            FullName = folder.FullName,
            DisplayName = FolderTypeClassifier.LastSegment(folder.FullName, delimiter),
            Type = FolderTypeClassifier.Classify(attributes, folder.FullName, delimiter),
            Attributes = attributes,
            IsSelectable = (folder.Attributes & (FolderAttributes.NoSelect | FolderAttributes.NonExistent)) == 0,
            Delimiter = delimiter,
            UnreadCount = folder.Unread,
            TotalCount = folder.Count,
            UidValidity = folder.UidValidity,
            UidNext = folder.UidNext?.Id,
            HighestModSeq = folder.HighestModSeq == 0 ? null : folder.HighestModSeq,
        };
    }
}
