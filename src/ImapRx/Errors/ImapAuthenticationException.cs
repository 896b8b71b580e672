using System;

namespace ImapRx;

/// <summary>
/// The server rejected the user name and password or token, or did not answer once they were sent. Never
/// retried: providers lock accounts after a few failed logins. An OAuth2 token provider is asked once for a fresh
/// token before this is raised.
/// </summary>
public sealed class ImapAuthenticationException : ImapRxException
{
    /// <summary>Creates the exception.</summary>
    public ImapAuthenticationException(string message, bool serverAnswered, Exception? innerException = null)
        : base(ImapErrorKind.AuthenticationFailed, message, innerException)
    {
        ServerAnswered = serverAnswered;
    }

    /// <summary>
    /// False when the connection failed or timed out after the credentials were sent: the password may be wrong
    /// (some servers delay their refusal), and it was not tried again.
    /// </summary>
    public bool ServerAnswered { get; }
}
