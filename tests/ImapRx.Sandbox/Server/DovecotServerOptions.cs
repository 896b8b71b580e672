namespace ImapRx.Sandbox.Server;

/// <summary>How a private sandbox Dovecot is configured. Values are validated when they are set.</summary>
public sealed class DovecotServerOptions
{
    private int _maxConnections = 1000;
    private TimeSpan _startTimeout = TimeSpan.FromSeconds(30);
    private TimeSpan _authFailureDelay = TimeSpan.Zero;
    private IReadOnlyList<string> _extraConfiguration = Array.Empty<string>();

    /// <summary>
    /// Gets or sets a value indicating whether the server offers TLS: STARTTLS on the plain port and an
    /// implicit-TLS port. When false, the plain port does not advertise STARTTLS and there is no TLS port.
    /// </summary>
    /// <value>The default is true.</value>
    public bool EnableSsl { get; init; } = true;

    /// <summary>
    /// Gets or sets a value indicating whether the server presents a self-signed certificate that is not
    /// issued by <see cref="DovecotServer.CaCertificate"/>, so tests can prove validation is on.
    /// </summary>
    /// <value>The default is false.</value>
    public bool UntrustedCertificate { get; init; }

    /// <summary>Gets or sets the open connections allowed per user and IP address, and per service.</summary>
    /// <value>The default is 1000 (Dovecot's own default of 10 per user and IP is too low for pool tests).</value>
    public int MaxConnections
    {
        get => _maxConnections;
        init => _maxConnections = value is > 0 and <= 100_000
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxConnections), value, "Must be between 1 and 100000.");
    }

    /// <summary>Gets or sets how long Dovecot delays its answer to a failed login, in whole seconds.</summary>
    /// <value>The default is zero, so tests of wrong passwords stay fast (Dovecot's own default is 2 seconds).</value>
    public TimeSpan AuthFailureDelay
    {
        get => _authFailureDelay;
        init => _authFailureDelay = value >= TimeSpan.Zero && value <= TimeSpan.FromMinutes(1)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(AuthFailureDelay), value, "Must be between 0 and 1 minute.");
    }

    /// <summary>Gets or sets how long <see cref="DovecotServer.StartAsync"/> waits for the listeners.</summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan StartTimeout
    {
        get => _startTimeout;
        init => _startTimeout = value > TimeSpan.Zero
            ? value
            : throw new ArgumentOutOfRangeException(nameof(StartTimeout), value, "Must be positive.");
    }

    /// <summary>Gets or sets configuration lines appended verbatim to the generated <c>dovecot.conf</c>.</summary>
    /// <value>The default is empty.</value>
    public IReadOnlyList<string> ExtraConfiguration
    {
        get => _extraConfiguration;
        init => _extraConfiguration = value ?? throw new ArgumentNullException(nameof(ExtraConfiguration));
    }

    /// <summary>Gets or sets a value indicating whether the temp directory survives disposal (for debugging).</summary>
    /// <value>The default is false.</value>
    public bool KeepRootDirectory { get; init; }
}
