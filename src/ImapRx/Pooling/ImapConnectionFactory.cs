using System;
using System.Threading;
using System.Threading.Tasks;
using ImapRx.Configuration;
using MailKit.Net.Imap;
using MailKit.Security;

namespace ImapRx.Pooling;

/// <summary>Opens, secures and authenticates one MailKit connection for an account.</summary>
internal static class ImapConnectionFactory
{
    internal static ImapClient CreateClient(ImapAccountOptions account, Func<string, System.IO.Stream>? protocolLog = null, string? connectionId = null)
    {
        // The wire log always redacts LOGIN and AUTHENTICATE payloads.
        var wireLog = protocolLog is null
            ? null
            : new MailKit.ProtocolLogger(protocolLog(connectionId ?? account.Host), leaveOpen: false) { RedactSecrets = true };
        var client = new ImapClient(new LoginWatch(wireLog));
        client.Timeout = (int)account.Timeout.TotalMilliseconds;
        client.CheckCertificateRevocation = false;

        var validation = CertificateValidator.Create(account);
        if (validation is not null)
        {
            client.ServerCertificateValidationCallback = validation;
        }

        return client;
    }

    internal static SecureSocketOptions ToSocketOptions(ImapEncryption encryption) => encryption switch
    {
        ImapEncryption.Tls => SecureSocketOptions.SslOnConnect,
        // StartTls (not StartTlsWhenAvailable): a server without STARTTLS is an error, never plain text.
        ImapEncryption.StartTls => SecureSocketOptions.StartTls,
        ImapEncryption.None => SecureSocketOptions.None,
        _ => throw new ArgumentOutOfRangeException(nameof(encryption), encryption, "Unknown encryption."),
    };

    /// <summary>
    /// Connects and logs in. On failure the client is disconnected before the exception leaves, translated by
    /// <see cref="ImapErrors"/>: a failure before the credentials were sent may be transient; any failure after
    /// them is an <see cref="ImapAuthenticationException"/>, never retried.
    /// </summary>
    internal static async Task ConnectAndAuthenticateAsync(ImapClient client, ImapAccountOptions account, CancellationToken cancellationToken)
    {
        try
        {
            await ConnectSecurelyAsync(client, account, cancellationToken).ConfigureAwait(false);
            var login = (LoginWatch)client.ProtocolLogger;
            login.Arm();
            try
            {
                await AuthenticateAsync(client, account, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException && !login.Accepted && ImapErrors.Translate(ex) is ImapConnectionException)
            {
                // The credentials may have reached the server; a server that is slow to refuse a wrong password looks
                // exactly like this. Trying again could lock the account, so this is final.
                throw new ImapAuthenticationException(
                    $"No answer from {account.Host}:{account.Port} after the credentials were sent ({ex.GetType().Name}). " +
                    "The password or token may be wrong; it was not tried again.",
                    serverAnswered: false,
                    ex);
            }
            if (account.ClientId is { Length: > 0 } clientId && client.Capabilities.HasFlag(ImapCapabilities.Id))
            {
                // RFC 2971 ID: lets the server's logs name this client.
                await client.IdentifyAsync(new ImapImplementation { Name = clientId, Version = "ImapRx" }, cancellationToken).ConfigureAwait(false);
            }

            if (account.UseQuickResync && client.Capabilities.HasFlag(ImapCapabilities.QuickResync))
            {
                // From here on the server reports expunges as VANISHED (UIDs) instead of EXPUNGE (sequence numbers):
                // every watcher on these connections listens for both.
                await client.EnableQuickResyncAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception failure)
        {
            try
            {
                if (client.IsConnected)
                {
                    await client.DisconnectAsync(false, CancellationToken.None).ConfigureAwait(false);
                }
            }
            catch (Exception)
            {
                // Already failing; the original error is the one that matters.
            }

            var translated = ImapErrors.Translate(failure, $"connect to {account.Host}:{account.Port}");
            if (ReferenceEquals(translated, failure))
            {
                throw;
            }

            throw translated;
        }
    }

    /// <summary>
    /// MailKit's connect, with two of its answers made precise. A TLS handshake that fails because the network
    /// did (a cut, a reset) is an ordinary connection loss, retried like any other; MailKit reports it as an
    /// <see cref="SslHandshakeException"/>, which would otherwise read as a rejected certificate. And a server
    /// that does not offer STARTTLS when it was asked for is refused before any credential is sent: a man in
    /// the middle strips STARTTLS exactly this way, so it is never retried and never falls back to plain text.
    /// </summary>
    private static async Task ConnectSecurelyAsync(ImapClient client, ImapAccountOptions account, CancellationToken cancellationToken)
    {
        try
        {
            // Our own socket, so TCP keepalive is on (MailKit takes a connected socket and owns it from here).
            var socket = await KeepAliveSocket.ConnectAsync(account.Host, account.Port, account.Timeout, cancellationToken).ConfigureAwait(false);
            try
            {
                await client.ConnectAsync(socket, account.Host, account.Port, ToSocketOptions(account.Encryption), cancellationToken).ConfigureAwait(false);
            }
            catch when (!client.IsConnected)
            {
                socket.Dispose();
                throw;
            }
        }
        catch (SslHandshakeException ex) when (ex.InnerException is System.IO.IOException or System.Net.Sockets.SocketException)
        {
            throw new ImapConnectionException(
                $"The connection to {account.Host}:{account.Port} was lost during the TLS handshake: {ex.InnerException.Message}", ex);
        }
        catch (NotSupportedException ex) when (account.Encryption == ImapEncryption.StartTls)
        {
            throw new ImapCertificateException(
                $"{account.Host}:{account.Port} did not offer STARTTLS, so the connection could not be encrypted; nothing was sent in plain text " +
                "and it was not tried again (a man in the middle can strip STARTTLS; use Encryption = Tls where the server has an implicit-TLS port).",
                ex);
        }
    }

    private static async Task AuthenticateAsync(ImapClient client, ImapAccountOptions account, CancellationToken cancellationToken)
    {
        switch (account.Credential)
        {
            case PasswordCredential password:
                await LogInOnceAsync(client, account, password.Password, cancellationToken).ConfigureAwait(false);
                break;
            case OAuth2Credential oauth:
                var token = await oauth.Provider(false, cancellationToken).ConfigureAwait(false);
                try
                {
                    await client.AuthenticateAsync(CreateOAuthMechanism(oauth.Mechanism, account.Username, token), cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (client.IsConnected && ImapErrors.Translate(ex) is ImapAuthenticationException)
                {
                    // The token may have expired since it was handed out: ask for a fresh one, once.
                    token = await oauth.Provider(true, cancellationToken).ConfigureAwait(false);
                    await client.AuthenticateAsync(CreateOAuthMechanism(oauth.Mechanism, account.Username, token), cancellationToken).ConfigureAwait(false);
                }

                break;
            default:
                throw new ArgumentException($"Unsupported credential type {account.Credential.GetType().Name}.", nameof(account));
        }
    }

    /// <summary>
    /// Exactly one login attempt with one mechanism chosen from the server's capabilities: SASL PLAIN with an
    /// initial response (one round trip) where offered, else the LOGIN command, else SASL PLAIN, else SASL LOGIN.
    /// MailKit's <c>AuthenticateAsync(user, password)</c> would walk every mechanism it knows, each a failed
    /// login against the account when the password is wrong.
    /// </summary>
    private static async Task LogInOnceAsync(ImapClient client, ImapAccountOptions account, string password, CancellationToken cancellationToken)
    {
        var offersPlain = client.AuthenticationMechanisms.Contains("PLAIN");
        if (offersPlain && client.Capabilities.HasFlag(ImapCapabilities.SaslIR))
        {
            await client.AuthenticateAsync(new SaslMechanismPlain(account.Username, password), cancellationToken).ConfigureAwait(false);
        }
        else if (!client.Capabilities.HasFlag(ImapCapabilities.LoginDisabled))
        {
            // With no SASL mechanism left to try, MailKit sends the LOGIN command, and only that.
            client.AuthenticationMechanisms.Clear();
            await client.AuthenticateAsync(account.Username, password, cancellationToken).ConfigureAwait(false);
        }
        else if (offersPlain)
        {
            await client.AuthenticateAsync(new SaslMechanismPlain(account.Username, password), cancellationToken).ConfigureAwait(false);
        }
        else if (client.AuthenticationMechanisms.Contains("LOGIN"))
        {
            // Dovecot configured for AUTH=LOGIN alone advertises LOGINDISABLED: the SASL mechanism is the only way in.
            await client.AuthenticateAsync(new SaslMechanismLogin(account.Username, password), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            throw new ImapAuthenticationException(
                $"{account.Host}:{account.Port} offers none of LOGIN, AUTHENTICATE PLAIN or AUTHENTICATE LOGIN, the ways ImapRx logs in with a password " +
                "(use TLS or STARTTLS: many servers allow logins only on an encrypted connection).",
                serverAnswered: true);
        }
    }

    private static SaslMechanism CreateOAuthMechanism(OAuth2Mechanism mechanism, string username, string token)
        => mechanism == OAuth2Mechanism.OAuthBearer
            ? new SaslMechanismOAuthBearer(username, token)
            : new SaslMechanismOAuth2(username, token);
}
