using System;
using System.Collections.Generic;

namespace ImapRx.Model;

/// <summary>A message's summary and, when fetched, its text and HTML bodies (the spec's IMAPMessage). Immutable.</summary>
public sealed record MailMessageInfo
{
    /// <summary>The UID, stable while <see cref="UidValidity"/> is unchanged.</summary>
    public uint Uid { get; init; }

    /// <summary>The folder's full name.</summary>
    public string Folder { get; init; } = string.Empty;

    /// <summary>The folder's UIDVALIDITY when the message was read.</summary>
    public uint UidValidity { get; init; }

    /// <summary>The RFC 5322 Message-ID without angle brackets; empty when missing.</summary>
    public string MessageId { get; init; } = string.Empty;

    /// <summary>The sender's address, e.g. <c>ann@example.com</c>; empty when missing.</summary>
    public string From { get; init; } = string.Empty;

    /// <summary>The sender's display name (decoded); empty when missing.</summary>
    public string FromName { get; init; } = string.Empty;

    /// <summary>To addresses.</summary>
    public IReadOnlyList<string> To { get; init; } = Array.Empty<string>();

    /// <summary>Cc addresses.</summary>
    public IReadOnlyList<string> Cc { get; init; } = Array.Empty<string>();

    /// <summary>Bcc addresses (usually only present on sent mail and drafts).</summary>
    public IReadOnlyList<string> Bcc { get; init; } = Array.Empty<string>();

    /// <summary>The decoded subject; empty when missing.</summary>
    public string Subject { get; init; } = string.Empty;

    /// <summary>The plain-text body; null when it was not fetched.</summary>
    public string? TextBody { get; init; }

    /// <summary>The HTML body; null when it was not fetched.</summary>
    public string? HtmlBody { get; init; }

    /// <summary>When the server received the message (INTERNALDATE).</summary>
    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary><see cref="ReceivedAt"/> in Unix milliseconds (the spec's received_at).</summary>
    public long ReceivedAtUnixMilliseconds => ReceivedAt.ToUnixTimeMilliseconds();

    /// <summary>The Date header, when present and parseable.</summary>
    public DateTimeOffset? SentAt { get; init; }

    /// <summary>\Seen.</summary>
    public bool IsRead { get; init; }

    /// <summary>\Flagged (a star).</summary>
    public bool IsStarred { get; init; }

    /// <summary>\Deleted.</summary>
    public bool IsDeleted { get; init; }

    /// <summary>\Answered.</summary>
    public bool IsAnswered { get; init; }

    /// <summary>\Draft.</summary>
    public bool IsDraft { get; init; }

    /// <summary>Junk: the <c>$Junk</c>/<c>Junk</c> keyword, or the message lives in the spam folder (and is not <c>$NotJunk</c>).</summary>
    public bool IsSpam { get; init; }

    /// <summary>The message lives in the Sent folder.</summary>
    public bool IsSent { get; init; }

    /// <summary>
    /// What a mail client's paper-clip would count. Multipart containers never count; a part does when the first of
    /// these rules that applies says so: a forwarded or returned message (<c>message/rfc822</c>,
    /// <c>message/global</c>) is one attachment, its inner parts not counted; a signature or encryption control part
    /// (<c>application/pkcs7-signature</c>, <c>application/x-pkcs7-signature</c>, <c>application/pgp-signature</c>,
    /// <c>application/pgp-encrypted</c>) is not; <c>Content-Disposition: attachment</c>, or a disposition other than
    /// <c>attachment</c> and <c>inline</c> (RFC 2183 treats an unknown one as attachment), is; a part of a
    /// <c>multipart/related</c> after its first (an image the HTML shows) is not; a file name (<c>filename</c> or
    /// <c>name</c>, plain, RFC 2231 or RFC 2047 encoded) makes any part one, text included (<c>text/csv; name="data.csv"</c>,
    /// <c>winmail.dat</c>); a text part without one (the text and HTML bodies, a <c>text/calendar</c> invitation) is not;
    /// the report parts of a delivery or read report (<c>message/delivery-status</c>,
    /// <c>message/disposition-notification</c>, <c>message/feedback-report</c>) are not; any other part (an image or
    /// file without a name) is. 0 when the body structure could not be read (<see cref="ReadIssues"/>).
    /// </summary>
    public int AttachmentCount { get; init; }

    /// <summary>RFC822.SIZE in bytes.</summary>
    public long Size { get; init; }

    /// <summary>System flags (<c>\Seen</c>, ...) and keywords (<c>$Junk</c>, ...).</summary>
    public IReadOnlyCollection<string> Flags { get; init; } = Array.Empty<string>();

    /// <summary>MODSEQ (CONDSTORE), when the server has it.</summary>
    public ulong? ModSeq { get; init; }

    /// <summary>
    /// What could not be read of this message's summary; <see cref="MessageReadIssues.None"/> for a message read in
    /// full. A message whose summary the server sends in a form MailKit cannot read (a subject or display name of
    /// several KB) is still delivered, read from its header, with the fields that could not be read left empty.
    /// </summary>
    public MessageReadIssues ReadIssues { get; init; }

    /// <summary>True when <see cref="ReadIssues"/> is not <see cref="MessageReadIssues.None"/>: some fields may be empty because they could not be read.</summary>
    public bool IsPartial => ReadIssues != MessageReadIssues.None;

    /// <inheritdoc/>
    public override string ToString() => $"{Folder}#{Uid} {From}: {Subject}";
}
