using System;

namespace ImapRx;

/// <summary>
/// The connection dropped, stalled past <c>Timeout</c>, or its stream broke (the cause is the inner exception:
/// a socket, I/O, timeout or protocol error). Transient: ImapRx retries with backoff; the connection is discarded.
/// </summary>
public sealed class ImapConnectionException : ImapRxException
{
    /// <summary>Creates the exception.</summary>
    public ImapConnectionException(string message, Exception? innerException = null)
        : base(ImapErrorKind.ConnectionLost, message, innerException)
    {
    }
}
