using System;

namespace ImapRx.Model;

/// <summary>
/// The IMAP system flags a message can carry and a client can set (RFC 9051 2.3.2). Keywords, such as
/// <c>$Label1</c>, travel separately as strings. \Recent is left out: the server alone sets it, and it says
/// nothing a client can act on.
/// </summary>
[Flags]
public enum MailFlags
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary>\Seen: the message was read.</summary>
    Seen = 1 << 0,

    /// <summary>\Answered: the message was replied to.</summary>
    Answered = 1 << 1,

    /// <summary>\Flagged: starred, or marked important.</summary>
    Flagged = 1 << 2,

    /// <summary>\Deleted: marked for deletion; gone at the next expunge.</summary>
    Deleted = 1 << 3,

    /// <summary>\Draft: a draft not yet sent.</summary>
    Draft = 1 << 4,
}
