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

    /// <summary>Parts that are attachments (by disposition or file name), not the text/HTML bodies.</summary>
    public int AttachmentCount { get; init; }

    /// <summary>RFC822.SIZE in bytes.</summary>
    public long Size { get; init; }

    /// <summary>System flags (<c>\Seen</c>, ...) and keywords (<c>$Junk</c>, ...).</summary>
    public IReadOnlyCollection<string> Flags { get; init; } = Array.Empty<string>();

    /// <summary>MODSEQ (CONDSTORE), when the server has it.</summary>
    public ulong? ModSeq { get; init; }

    /// <inheritdoc/>
    public override string ToString() => $"{Folder}#{Uid} {From}: {Subject}";
}
