using System;

namespace ImapRx;

/// <summary>
/// The server delivered the message, but its bytes are not a message MimeKit can parse (an empty message, for one).
/// Only the streams that parse (<c>MimeMessage</c>, <c>MailMessageContent.Parse</c>) raise it; the raw streams
/// (<c>SaveMessage</c>, <c>MessageContents</c>) hand over such a message as the bytes it is. Another attempt
/// would fetch the same bytes, so it is not retried, and the connection is fine.
/// </summary>
public sealed class ImapMessageMalformedException : ImapRxException
{
    /// <summary>Creates the exception.</summary>
    public ImapMessageMalformedException(string folder, uint uid, Exception? innerException = null)
        : base(
            ImapErrorKind.MessageMalformed,
            $"The message with UID {uid} in '{folder}' could not be parsed{(innerException is null ? "." : ": " + innerException.Message)}",
            innerException)
    {
        Folder = folder;
        Uid = uid;
    }

    /// <summary>The folder.</summary>
    public string Folder { get; }

    /// <summary>The message's UID.</summary>
    public uint Uid { get; }
}
