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
        var client = protocolLog is null
            ? new ImapClient()
            : new ImapClient(new MailKit.ProtocolLogger(protocolLog(connectionId ?? account.Host), leaveOpen: false) { RedactSecrets = true });
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

    /// <summary>Connects and logs in. On failure the client is disconnected before the exception leaves.</summary>
    internal static async Task ConnectAndAuthenticateAsync(ImapClient client, ImapAccountOptions account, CancellationToken cancellationToken)
    {
        try
        {
            await client.ConnectAsync(account.Host, account.Port, ToSocketOptions(account.Encryption), cancellationToken).ConfigureAwait(false);
            await AuthenticateAsync(client, account, cancellationToken).ConfigureAwait(false);
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
        catch
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

            throw;
        }
    }

    private static async Task AuthenticateAsync(ImapClient client, ImapAccountOptions account, CancellationToken cancellationToken)
    {
        switch (account.Credential)
        {
            case PasswordCredential password:
                await client.AuthenticateAsync(account.Username, password.Password, cancellationToken).ConfigureAwait(false);
                break;
            case OAuth2Credential oauth:
                var token = await oauth.Provider(false, cancellationToken).ConfigureAwait(false);
                try
                {
                    await client.AuthenticateAsync(CreateOAuthMechanism(oauth.Mechanism, account.Username, token), cancellationToken).ConfigureAwait(false);
                }
                catch (AuthenticationException) when (client.IsConnected)
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

    private static SaslMechanism CreateOAuthMechanism(OAuth2Mechanism mechanism, string username, string token)
        => mechanism == OAuth2Mechanism.OAuthBearer
            ? new SaslMechanismOAuthBearer(username, token)
            : new SaslMechanismOAuth2(username, token);
}
