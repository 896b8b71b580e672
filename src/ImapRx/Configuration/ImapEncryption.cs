namespace ImapRx.Configuration;

/// <summary>How the connection to the server is secured.</summary>
public enum ImapEncryption
{
    /// <summary>Implicit TLS from the first byte (usually port 993). The default.</summary>
    Tls,

    /// <summary>Plain connection upgraded with STARTTLS (usually port 143). A server that does not offer STARTTLS is an error, never a fall-back to plain text.</summary>
    StartTls,

    /// <summary>No encryption at all. Only for loopback test servers.</summary>
    None,
}
