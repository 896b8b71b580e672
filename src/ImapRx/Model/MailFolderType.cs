namespace ImapRx.Model;

/// <summary>What a folder is for (the spec's folder_type, plus RFC 6154's \All and \Flagged and Gmail's \Important).</summary>
public enum MailFolderType
{
    /// <summary>A folder with no special use.</summary>
    Custom,

    /// <summary>The INBOX.</summary>
    Inbox,

    /// <summary>Sent mail.</summary>
    Sent,

    /// <summary>Drafts.</summary>
    Drafts,

    /// <summary>Deleted mail.</summary>
    Trash,

    /// <summary>Junk / spam.</summary>
    Spam,

    /// <summary>Archive.</summary>
    Archive,

    /// <summary>A virtual folder holding every message (Gmail's All Mail).</summary>
    All,

    /// <summary>A virtual folder of flagged (starred) messages.</summary>
    Flagged,

    /// <summary>Gmail's Important.</summary>
    Important,
}
