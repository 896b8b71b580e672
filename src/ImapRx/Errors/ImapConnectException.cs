using System;

namespace ImapRx;

/// <summary>The server could not be reached after every retry (refused, timed out, DNS failure, dropped).</summary>
public sealed class ImapConnectException : ImapRxException
{
    /// <summary>Creates the exception.</summary>
    public ImapConnectException(string host, int port, int attempts, Exception innerException)
        : base(ImapErrorKind.ConnectFailed, $"Could not connect to {host}:{port} after {attempts} attempt(s): {innerException.Message}", innerException)
    {
        Host = host;
        Port = port;
        Attempts = attempts;
    }

    /// <summary>The host.</summary>
    public string Host { get; }

    /// <summary>The port.</summary>
    public int Port { get; }

    /// <summary>How many times it was tried.</summary>
    public int Attempts { get; }
}
