using System;

namespace ImapRx.Model;

/// <summary>
/// What ImapRx could not read of one message's summary (<see cref="MailMessageInfo.ReadIssues"/>). <see cref="None"/>
/// for a message read in full, which is almost every message. A message is never skipped for these: it is
/// delivered with what could be read, the rest left empty, and the fetch counts it in the
/// <c>imaprx.fetch.unreadable_messages</c> metric and logs the first one.
/// </summary>
[Flags]
public enum MessageReadIssues
{
    /// <summary>The summary was read as usual.</summary>
    None = 0,

    /// <summary>
    /// The server's ENVELOPE or BODYSTRUCTURE for the message could not be read (MailKit refuses a string above
    /// 4,096 bytes, such as a folded subject of several KB or a display name of 5,000 characters). The message was
    /// read another way: FLAGS, INTERNALDATE, RFC822.SIZE and MODSEQ as usual, the sender, recipients, subject,
    /// date and Message-ID from its header (<c>BODY.PEEK[HEADER]</c>, parsed by MimeKit, which has no such limit),
    /// and the BODYSTRUCTURE on its own.
    /// </summary>
    SummaryUnreadable = 1,

    /// <summary>
    /// The BODYSTRUCTURE could not be read on its own either: <see cref="MailMessageInfo.AttachmentCount"/> is 0,
    /// and <see cref="MailMessageInfo.TextBody"/>/<see cref="MailMessageInfo.HtmlBody"/> are empty when bodies were asked for.
    /// </summary>
    BodyStructureUnreadable = 2,

    /// <summary>
    /// The header could not be read either: only the UID, folder, UIDVALIDITY, flags, dates and size are set (those
    /// that could be read); the address and subject fields are empty.
    /// </summary>
    HeaderUnreadable = 4,
}
