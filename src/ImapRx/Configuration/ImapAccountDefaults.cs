using System;

namespace ImapRx.Configuration;

/// <summary>Defaults and limits for <see cref="ImapAccountOptions"/>, in one place.</summary>
public static class ImapAccountDefaults
{
    /// <summary>Port for implicit TLS.</summary>
    public const int TlsPort = 993;

    /// <summary>Port for plain IMAP and STARTTLS.</summary>
    public const int PlainPort = 143;

    /// <summary>Connect/command timeout: 30 seconds (the spec's <c>timeout</c>).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>IDLE restart interval: 900 seconds (the spec's <c>idle_timeout</c>).</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(900);

    /// <summary>The longest IDLE allowed: RFC 2177 servers may drop an IDLE after 30 minutes.</summary>
    public static readonly TimeSpan MaxIdleTimeout = TimeSpan.FromMinutes(29);

    /// <summary>Connection retry attempts after the first: 3 (the spec's <c>max_retries</c>).</summary>
    public const int MaxRetries = 3;

    /// <summary>First retry delay: 5 seconds (the spec's <c>retry_delay</c>), doubled each attempt.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    /// <summary>Cap on a single retry delay: 2 minutes.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(2);

    /// <summary>Connections per account: 3 (the spec's pool default).</summary>
    public const int MaxConnections = 3;

    /// <summary>Idle connections older than this are evicted: 5 minutes (the spec's pool section).</summary>
    public static readonly TimeSpan ConnectionIdleLifetime = TimeSpan.FromMinutes(5);

    /// <summary>A connection idle for longer than this gets a NOOP before it is handed out: 30 seconds.</summary>
    public static readonly TimeSpan HealthCheckAfter = TimeSpan.FromSeconds(30);

    /// <summary>How long a caller waits for a lease before failing: 60 seconds.</summary>
    public static readonly TimeSpan LeaseTimeout = TimeSpan.FromSeconds(60);
}
