namespace ImapRx;

/// <summary>
/// What kind of failure an <see cref="ImapRxException"/> is. The kind alone decides whether ImapRx retries it
/// (<see cref="ImapRxException.IsTransient"/>) and whether the connection it happened on is thrown away
/// (<see cref="ImapRxException.BreaksConnection"/>); PowerShell maps it to an error id.
/// </summary>
public enum ImapErrorKind
{
    /// <summary>The connection dropped, stalled past the timeout, or its stream broke. Retried; the connection is discarded.</summary>
    ConnectionLost,

    /// <summary>The server could not be reached after every retry. Not retried again.</summary>
    ConnectFailed,

    /// <summary>No pooled connection became free within the lease timeout. Not retried.</summary>
    LeaseTimeout,

    /// <summary>The server rejected the credentials, or did not answer after they were sent. Never retried: that locks accounts.</summary>
    AuthenticationFailed,

    /// <summary>The server's certificate was not trusted or did not match the host. Not retried.</summary>
    CertificateRejected,

    /// <summary>The server said NO or BAD to a command. Not retried; the connection stays usable.</summary>
    CommandRejected,

    /// <summary>The folder does not exist. Not retried; the connection stays usable.</summary>
    FolderNotFound,

    /// <summary>No message has that UID. Not retried; the connection stays usable.</summary>
    MessageNotFound,

    /// <summary>The folder's UIDVALIDITY changed under an operation that depended on it. Not retried; the connection stays usable.</summary>
    UidValidityChanged,

    /// <summary>
    /// The server answered, but its answer could not be read: MailKit's parser refused it (a string above its
    /// 4,096-byte limit, or syntax it does not accept). The same request fails the same way, so it is not retried;
    /// the connection is discarded (the parser stopped in the middle of the answer). Summary fetches never report
    /// it: they narrow the batch down to the message and read that one from its header instead.
    /// </summary>
    ResponseUnreadable,

    /// <summary>The message arrived but cannot be parsed (an empty message, say). Not retried; the connection stays usable.</summary>
    MessageMalformed,
}
