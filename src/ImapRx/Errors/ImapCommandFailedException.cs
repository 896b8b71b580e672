using System;

namespace ImapRx;

/// <summary>
/// The server answered a command with NO or BAD (a quota, a permission, a command it does not accept). Not
/// retried; the connection is fine and goes back to the pool.
/// </summary>
public sealed class ImapCommandFailedException : ImapRxException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="operation">What was being done, e.g. <c>StoreFlags in 'INBOX'</c> (never a secret).</param>
    /// <param name="isBad">True for BAD, false for NO.</param>
    /// <param name="serverText">The server's explanation.</param>
    /// <param name="innerException">MailKit's exception.</param>
    public ImapCommandFailedException(string operation, bool isBad, string serverText, Exception? innerException = null)
        : base(ImapErrorKind.CommandRejected, $"The server refused {operation} ({(isBad ? "BAD" : "NO")}): {serverText}", innerException)
    {
        Operation = operation;
        IsBad = isBad;
        ServerText = serverText;
    }

    /// <summary>What was being done when the server refused.</summary>
    public string Operation { get; }

    /// <summary>True for BAD (the server did not understand the command), false for NO (it refused it).</summary>
    public bool IsBad { get; }

    /// <summary>The server's own explanation, as it sent it.</summary>
    public string ServerText { get; }
}
