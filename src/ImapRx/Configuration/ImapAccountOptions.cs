using System;
using System.Collections.Generic;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Threading;

namespace ImapRx.Configuration;

/// <summary>
/// One IMAP account: where the server is, who logs in, and how the connections behave
/// (the spec's <c>IMAPConnectionConfig</c>). Every value is checked when it is set, and a bad
/// value raises an <see cref="ArgumentException"/> naming the property.
/// </summary>
/// <remarks>The password or token never appears in <see cref="ToString"/>.</remarks>
public sealed class ImapAccountOptions
{
    private static int _nextAccountNumber;

    private int _port;
    private TimeSpan _timeout = ImapAccountDefaults.Timeout;
    private TimeSpan _idleTimeout = ImapAccountDefaults.IdleTimeout;
    private int _maxRetries = ImapAccountDefaults.MaxRetries;
    private TimeSpan _retryDelay = ImapAccountDefaults.RetryDelay;
    private TimeSpan _maxRetryDelay = ImapAccountDefaults.MaxRetryDelay;
    private int _maxConnections = ImapAccountDefaults.MaxConnections;
    private TimeSpan _connectionIdleLifetime = ImapAccountDefaults.ConnectionIdleLifetime;
    private TimeSpan _healthCheckAfter = ImapAccountDefaults.HealthCheckAfter;
    private TimeSpan _leaseTimeout = ImapAccountDefaults.LeaseTimeout;
    private ImapEncryption _encryption = ImapEncryption.Tls;
    private string? _clientId;
    private bool _useQuickResync = true;
    private IReadOnlyList<X509Certificate2> _trustedCertificateAuthorities = Array.Empty<X509Certificate2>();
    private IReadOnlyList<string> _pinnedCertificateSha256 = Array.Empty<string>();
    private RemoteCertificateValidationCallback? _serverCertificateValidation;
    private Polly.ResiliencePipeline? _connectPipeline;
    private volatile bool _frozen;

    /// <summary>Creates options for one account.</summary>
    /// <param name="host">The server's host name or IP address.</param>
    /// <param name="username">The login name (often the e-mail address).</param>
    /// <param name="credential">Password or OAuth2 token provider.</param>
    /// <exception cref="ArgumentException">A value is empty or malformed.</exception>
    public ImapAccountOptions(string host, string username, ImapCredential credential)
    {
        if (string.IsNullOrWhiteSpace(host))
        {
            throw new ArgumentException("The host name must not be empty.", nameof(host));
        }

        if (host.IndexOfAny(new[] { ' ', '\r', '\n', '\t', '/', '\\' }) >= 0)
        {
            throw new ArgumentException($"The host name '{host}' contains characters a host name cannot have.", nameof(host));
        }

        if (string.IsNullOrEmpty(username))
        {
            throw new ArgumentException("The username must not be empty.", nameof(username));
        }

        if (username.IndexOfAny(new[] { '\r', '\n', '\0' }) >= 0)
        {
            throw new ArgumentException("The username must not contain CR, LF or NUL.", nameof(username));
        }

        Host = host.Trim();
        Username = username;
        Credential = credential ?? throw new ArgumentNullException(nameof(credential));
        AccountNumber = Interlocked.Increment(ref _nextAccountNumber);
    }

    /// <summary>The server's host name or address.</summary>
    public string Host { get; }

    /// <summary>The login name.</summary>
    public string Username { get; }

    /// <summary>What to authenticate with. Its <c>ToString()</c> never shows the secret.</summary>
    public ImapCredential Credential { get; }

    /// <summary>How the connection is secured.</summary>
    /// <value>The default is <see cref="ImapEncryption.Tls"/>.</value>
    public ImapEncryption Encryption
    {
        get => _encryption;
        set
        {
            ThrowIfFrozen();
            if (!Enum.IsDefined(typeof(ImapEncryption), value))
            {
                throw new ArgumentException($"Unknown encryption '{value}'. Use Tls, StartTls or None.", nameof(Encryption));
            }

            _encryption = value;
        }
    }

    /// <summary>The server port; 0 picks the usual one for <see cref="Encryption"/>.</summary>
    /// <value>The default is 0: 993 for TLS, 143 for STARTTLS and none.</value>
    public int Port
    {
        get => _port != 0 ? _port : Encryption == ImapEncryption.Tls ? ImapAccountDefaults.TlsPort : ImapAccountDefaults.PlainPort;
        set
        {
            ThrowIfFrozen();
            if (value < 0 || value > 65535)
            {
                throw new ArgumentOutOfRangeException(nameof(Port), value, "The port must be between 1 and 65535 (or 0 for the default).");
            }

            _port = value;
        }
    }

    /// <summary>Timeout for connecting and for each command.</summary>
    /// <value>The default is 30 seconds; allowed 1 second to 10 minutes.</value>
    public TimeSpan Timeout
    {
        get => _timeout;
        set => _timeout = Unfrozen(Check(value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10), nameof(Timeout)));
    }

    /// <summary>How long one IDLE command runs before it is restarted.</summary>
    /// <value>The default is 900 seconds; allowed 1 second to 29 minutes.</value>
    public TimeSpan IdleTimeout
    {
        get => _idleTimeout;
        set => _idleTimeout = Unfrozen(Check(value, TimeSpan.FromSeconds(1), ImapAccountDefaults.MaxIdleTimeout, nameof(IdleTimeout)));
    }

    /// <summary>Retries after a transient failure (refused, timed out, DNS, dropped).</summary>
    /// <value>The default is 3; allowed 0 to 100.</value>
    public int MaxRetries
    {
        get => _maxRetries;
        set => _maxRetries = Unfrozen(value is >= 0 and <= 100
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxRetries), value, "MaxRetries must be between 0 and 100."));
    }

    /// <summary>The first retry delay; later ones double, with jitter, up to <see cref="MaxRetryDelay"/>.</summary>
    /// <value>The default is 5 seconds; allowed 0 to 10 minutes.</value>
    public TimeSpan RetryDelay
    {
        get => _retryDelay;
        set => _retryDelay = Unfrozen(Check(value, TimeSpan.Zero, TimeSpan.FromMinutes(10), nameof(RetryDelay)));
    }

    /// <summary>The cap on one retry delay.</summary>
    /// <value>The default is 2 minutes; allowed 0 to 1 hour.</value>
    public TimeSpan MaxRetryDelay
    {
        get => _maxRetryDelay;
        set => _maxRetryDelay = Unfrozen(Check(value, TimeSpan.Zero, TimeSpan.FromHours(1), nameof(MaxRetryDelay)));
    }

    /// <summary>The most connections the pool opens to this account, IDLE connections included.</summary>
    /// <value>The default is 3; allowed 1 to 10,000 (watching 1,000 folders with IDLE needs 1,000). Gmail allows 15 per account.</value>
    public int MaxConnections
    {
        get => _maxConnections;
        set => _maxConnections = Unfrozen(value is >= 1 and <= 10_000
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxConnections), value, "MaxConnections must be between 1 and 10000."));
    }

    /// <summary>A pooled connection unused for this long is closed.</summary>
    /// <value>The default is 5 minutes; allowed 1 second to 1 day.</value>
    public TimeSpan ConnectionIdleLifetime
    {
        get => _connectionIdleLifetime;
        set => _connectionIdleLifetime = Unfrozen(Check(value, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1), nameof(ConnectionIdleLifetime)));
    }

    /// <summary>A pooled connection unused for this long is checked with NOOP before reuse.</summary>
    /// <value>The default is 30 seconds; allowed 0 (always) to 1 day.</value>
    public TimeSpan HealthCheckAfter
    {
        get => _healthCheckAfter;
        set => _healthCheckAfter = Unfrozen(Check(value, TimeSpan.Zero, TimeSpan.FromDays(1), nameof(HealthCheckAfter)));
    }

    /// <summary>How long a caller waits for a free connection before <see cref="ImapLeaseTimeoutException"/>.</summary>
    /// <value>The default is 60 seconds; allowed 1 millisecond to 1 hour.</value>
    public TimeSpan LeaseTimeout
    {
        get => _leaseTimeout;
        set => _leaseTimeout = Unfrozen(Check(value, TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(1), nameof(LeaseTimeout)));
    }

    /// <summary>A name for this client in logs and the IMAP ID command; optional.</summary>
    public string? ClientId
    {
        get => _clientId;
        set => _clientId = Unfrozen(value);
    }

    /// <summary>
    /// Enable QRESYNC (RFC 7162) on every connection where the server offers it (default true): <c>Sync</c> then
    /// learns expunges (VANISHED) and flag changes from the SELECT itself instead of comparing UID lists. Turn it
    /// off only for a server whose QRESYNC is broken; CONDSTORE is used either way.
    /// </summary>
    public bool UseQuickResync
    {
        get => _useQuickResync;
        set => _useQuickResync = Unfrozen(value);
    }

    /// <summary>
    /// Extra certificate authorities to trust for this server (for example a company CA or a test CA).
    /// The chain is still built and checked; these are added as trust anchors, nothing is switched off.
    /// </summary>
    public IReadOnlyList<X509Certificate2> TrustedCertificateAuthorities
    {
        get => _trustedCertificateAuthorities;
        set => _trustedCertificateAuthorities = Unfrozen(value);
    }

    /// <summary>
    /// SHA-256 fingerprints (hex) of server certificates to accept even if no CA vouches for them
    /// (certificate pinning). Compared exactly; an expired or wrong-host pinned certificate is still accepted.
    /// </summary>
    public IReadOnlyList<string> PinnedCertificateSha256
    {
        get => _pinnedCertificateSha256;
        set => _pinnedCertificateSha256 = Unfrozen(value);
    }

    /// <summary>
    /// Your own validation hook. When set it decides alone; it is called with the errors the
    /// platform found, so returning <c>errors == None</c> keeps default behaviour.
    /// </summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidation
    {
        get => _serverCertificateValidation;
        set => _serverCertificateValidation = Unfrozen(value);
    }

    /// <summary>
    /// True once a client or pool uses these options: from then on every setter throws
    /// <see cref="InvalidOperationException"/>, because the pool keys, limits and retries by them.
    /// </summary>
    public bool IsFrozen => _frozen;

    /// <summary>
    /// Your own Polly pipeline for opening this account's connections; when set it replaces the built-in retry
    /// (<see cref="MaxRetries"/>, <see cref="RetryDelay"/>, <see cref="MaxRetryDelay"/> are then not used). Make it retry
    /// only transient failures (<c>ex is ImapRxException { IsTransient: true }</c>; the connection attempts it runs fail
    /// with ImapRx's exceptions): an authentication failure retried can lock the account.
    /// </summary>
    /// <value>The default is null: the built-in retry.</value>
    public Polly.ResiliencePipeline? ConnectPipeline
    {
        get => _connectPipeline;
        set => _connectPipeline = Unfrozen(value);
    }

    /// <summary>Key that identifies the account in the pool: same server, port and user share connections.</summary>
    public string AccountKey => $"{Host.ToLowerInvariant()}:{Port}:{Username}";

    /// <summary>Used to number connections in logs: <c>host:user#n</c>.</summary>
    internal int AccountNumber { get; }

    /// <inheritdoc/>
    public override string ToString()
        => $"{Username}@{Host}:{Port} ({Encryption}, {Credential})";

    /// <summary>Makes the options read-only: a client or pool uses them now.</summary>
    internal void Freeze() => _frozen = true;

    /// <summary>
    /// The first setting that a pool applies per account and that differs between these options and
    /// <paramref name="other"/> (for the same account), or null when they would behave the same.
    /// </summary>
    internal string? FirstPoolSettingDifferentFrom(ImapAccountOptions other)
    {
        if (Encryption != other.Encryption) return $"Encryption ({Encryption} vs {other.Encryption})";
        if (MaxConnections != other.MaxConnections) return $"MaxConnections ({MaxConnections} vs {other.MaxConnections})";
        if (LeaseTimeout != other.LeaseTimeout) return $"LeaseTimeout ({LeaseTimeout} vs {other.LeaseTimeout})";
        if (Timeout != other.Timeout) return $"Timeout ({Timeout} vs {other.Timeout})";
        if (MaxRetries != other.MaxRetries) return $"MaxRetries ({MaxRetries} vs {other.MaxRetries})";
        if (RetryDelay != other.RetryDelay) return $"RetryDelay ({RetryDelay} vs {other.RetryDelay})";
        if (MaxRetryDelay != other.MaxRetryDelay) return $"MaxRetryDelay ({MaxRetryDelay} vs {other.MaxRetryDelay})";
        if (ConnectionIdleLifetime != other.ConnectionIdleLifetime) return $"ConnectionIdleLifetime ({ConnectionIdleLifetime} vs {other.ConnectionIdleLifetime})";
        if (HealthCheckAfter != other.HealthCheckAfter) return $"HealthCheckAfter ({HealthCheckAfter} vs {other.HealthCheckAfter})";
        if (UseQuickResync != other.UseQuickResync) return $"UseQuickResync ({UseQuickResync} vs {other.UseQuickResync})";
        if (!string.Equals(ClientId, other.ClientId, StringComparison.Ordinal)) return "ClientId";
        if (!System.Linq.Enumerable.SequenceEqual(System.Linq.Enumerable.Select(TrustedCertificateAuthorities, c => c.Thumbprint), System.Linq.Enumerable.Select(other.TrustedCertificateAuthorities, c => c.Thumbprint))) return "TrustedCertificateAuthorities";
        if (!System.Linq.Enumerable.SequenceEqual(PinnedCertificateSha256, other.PinnedCertificateSha256, StringComparer.OrdinalIgnoreCase)) return "PinnedCertificateSha256";
        if (!ReferenceEquals(ServerCertificateValidation, other.ServerCertificateValidation)) return "ServerCertificateValidation";
        if (!ReferenceEquals(ConnectPipeline, other.ConnectPipeline)) return "ConnectPipeline";
        return null;
    }

    // Passes the new value through once the options are known not to be in use: "_field = Unfrozen(value)".
    private T Unfrozen<T>(T value, [System.Runtime.CompilerServices.CallerMemberName] string property = "")
    {
        ThrowIfFrozen(property);
        return value;
    }

    private void ThrowIfFrozen([System.Runtime.CompilerServices.CallerMemberName] string property = "")
    {
        if (_frozen)
        {
            throw new InvalidOperationException(
                $"These account options are in use by a client or pool and can no longer change ({property}). Create new options for other settings.");
        }
    }

    private static TimeSpan Check(TimeSpan value, TimeSpan min, TimeSpan max, string name)
    {
        if (value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be between {min} and {max}.");
        }

        return value;
    }
}
