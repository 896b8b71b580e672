using System;

namespace ImapRx;

/// <summary>
/// The server answered, but MailKit could not read the answer (a string longer than its 4,096-byte limit, such as
/// a folded subject of several KB in an ENVELOPE, or syntax it does not accept). Asking again gets the same
/// answer, so it is not retried; the connection is discarded, because the parser stopped in mid-answer. The
/// MailKit exception is the inner exception.
/// </summary>
/// <remarks>
/// <c>Messages</c>, <c>MessageBatches</c>, watches and <c>Sync</c> do not report it for a message whose summary
/// cannot be read: they find that message and read it from its header instead
/// (<see cref="Model.MailMessageInfo.ReadIssues"/>).
/// </remarks>
public sealed class ImapResponseUnreadableException : ImapRxException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What could not be read, and during what.</param>
    /// <param name="innerException">The parser's exception.</param>
    public ImapResponseUnreadableException(string message, Exception? innerException = null)
        : base(ImapErrorKind.ResponseUnreadable, message, innerException)
    {
    }
}
