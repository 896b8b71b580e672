using System;

namespace ImapRx.Extensions.Hosting;

/// <summary>
/// One account as it is written in configuration (<c>Imap:Accounts:&lt;name&gt;</c>). Every property is optional
/// except <see cref="Host"/> and <see cref="Username"/>; what is left out keeps the library's default. The values are
/// checked on start by the same rules as <see cref="Configuration.ImapAccountOptions"/>, and a bad one stops the host
/// with a message naming its configuration key.
/// </summary>
public sealed class ImapAccountSettings
{
    /// <summary>The server's host name or address (<c>Host</c>). Required.</summary>
    public string? Host { get; set; }

    /// <summary>The port (<c>Port</c>); left out, 993 for TLS and 143 otherwise.</summary>
    public int? Port { get; set; }

    /// <summary>The login name (<c>Username</c>). Required.</summary>
    public string? Username { get; set; }

    /// <summary>
    /// The password (<c>Password</c>): keep it out of appsettings.json (user secrets in development, an environment
    /// variable <c>Imap__Accounts__&lt;name&gt;__Password</c> or a vault in production). Never logged.
    /// </summary>
    public string? Password { get; set; }

    /// <summary>
    /// How to log in (<c>Authentication</c>): <c>Password</c> (the default), or <c>XOAuth2</c>/<c>OAuthBearer</c> with an
    /// <see cref="IImapAccessTokenProvider"/> registered in the container (keyed by the account name, or unkeyed for all).
    /// </summary>
    public string? Authentication { get; set; }

    /// <summary><c>Tls</c> (the default), <c>StartTls</c> or <c>None</c> (<c>Encryption</c>).</summary>
    public Configuration.ImapEncryption? Encryption { get; set; }

    /// <summary>See <see cref="Configuration.ImapAccountOptions.Timeout"/>.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>See <see cref="Configuration.ImapAccountOptions.IdleTimeout"/>.</summary>
    public TimeSpan? IdleTimeout { get; set; }

    /// <summary>See <see cref="Configuration.ImapAccountOptions.MaxRetries"/>.</summary>
    public int? MaxRetries { get; set; }

    /// <summary>See <see cref="Configuration.ImapAccountOptions.RetryDelay"/>.</summary>
    public TimeSpan? RetryDelay { get; set; }

    /// <summary>See <see cref="Configuration.ImapAccountOptions.MaxRetryDelay"/>.</summary>
    public TimeSpan? MaxRetryDelay { get; set; }

    /// <summary>See <see cref="Configuration.ImapAccountOptions.MaxConnections"/>.</summary>
    public int? MaxConnections { get; set; }

    /// <summary>See <see cref="Configuration.ImapAccountOptions.ConnectionIdleLifetime"/>.</summary>
    public TimeSpan? ConnectionIdleLifetime { get; set; }

    /// <summary>See <see cref="Configuration.ImapAccountOptions.HealthCheckAfter"/>.</summary>
    public TimeSpan? HealthCheckAfter { get; set; }

    /// <summary>See <see cref="Configuration.ImapAccountOptions.LeaseTimeout"/>.</summary>
    public TimeSpan? LeaseTimeout { get; set; }

    /// <summary>See <see cref="Configuration.ImapAccountOptions.ClientId"/>.</summary>
    public string? ClientId { get; set; }

    /// <summary>See <see cref="Configuration.ImapAccountOptions.UseQuickResync"/>.</summary>
    public bool? UseQuickResync { get; set; }

    /// <summary>PEM or DER files of extra certificate authorities to trust (<c>TrustedCaPaths</c>); validation stays on.</summary>
    public string[]? TrustedCaPaths { get; set; }

    /// <summary>See <see cref="Configuration.ImapAccountOptions.PinnedCertificateSha256"/>.</summary>
    public string[]? PinnedCertificateSha256 { get; set; }

    /// <summary>
    /// The name of a Polly <c>ResiliencePipeline</c> registered in the container (<c>ResiliencePipeline</c>,
    /// for example with <c>services.AddResiliencePipeline("imap-connect", ...)</c>) that opens this account's
    /// connections instead of the built-in retry. Left out, the built-in retry (MaxRetries, RetryDelay) is used.
    /// </summary>
    public string? ResiliencePipeline { get; set; }
}
