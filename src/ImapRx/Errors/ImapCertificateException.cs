using System;

namespace ImapRx;

/// <summary>
/// The TLS handshake failed: the server's certificate is not trusted, has expired, or does not match the host
/// name. Not retried. See <c>docs/security.md</c> for trusting a private certificate without turning validation off.
/// </summary>
public sealed class ImapCertificateException : ImapRxException
{
    /// <summary>Creates the exception.</summary>
    public ImapCertificateException(string message, Exception? innerException = null)
        : base(ImapErrorKind.CertificateRejected, message, innerException)
    {
    }
}
