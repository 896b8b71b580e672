using System;
using System.IO;
using System.Management.Automation;
using System.Net;
using System.Reactive.Linq;
using System.Security.Cryptography.X509Certificates;
using ImapRx.Configuration;
using ImapRx.PowerShell.Infrastructure;

namespace ImapRx.PowerShell.Commands;

/// <summary>Connect-ImapServer: logs in and makes the session the default.</summary>
[Cmdlet(VerbsCommunications.Connect, "ImapServer", DefaultParameterSetName = CredentialSet)]
[OutputType(typeof(ImapSession))]
public sealed class ConnectImapServerCommand : PSCmdlet
{
    private const string CredentialSet = "Credential";
    private const string AccessTokenSet = "AccessToken";

    /// <summary>The server's host name or address.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Server { get; set; } = string.Empty;

    /// <summary>User name and password. There is deliberately no plain-text password parameter.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = CredentialSet)]
    [Credential]
    public PSCredential Credential { get; set; } = PSCredential.Empty;

    /// <summary>The login name, for OAuth2.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AccessTokenSet)]
    [ValidateNotNullOrEmpty]
    public string UserName { get; set; } = string.Empty;

    /// <summary>An OAuth2 access token (XOAUTH2), as a SecureString so it is not echoed or logged.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AccessTokenSet)]
    public System.Security.SecureString? AccessToken { get; set; }

    /// <summary>The port; the default follows -Encryption (993 for Tls, 143 otherwise).</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int Port { get; set; }

    /// <summary>Tls (default), StartTls or None.</summary>
    [Parameter]
    public ImapEncryption Encryption { get; set; } = ImapEncryption.Tls;

    /// <summary>A PEM/CRT file with a CA certificate to trust for this server (validation stays on).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? TrustedCaPath { get; set; }

    /// <summary>Connections this session may open (IDLE included).</summary>
    [Parameter]
    [ValidateRange(1, 10000)]
    public int MaxConnections { get; set; } = ImapAccountDefaults.MaxConnections;

    /// <summary>How often a failed connect or a dropped connection is retried, with exponential backoff.</summary>
    [Parameter]
    [ValidateRange(0, 100)]
    public int MaxRetries { get; set; } = ImapAccountDefaults.MaxRetries;

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        ImapAccountOptions account;
        try
        {
            var user = ParameterSetName == AccessTokenSet ? UserName : Credential.UserName;
            var credential = ParameterSetName == AccessTokenSet
                ? ImapCredential.FromAccessToken(new NetworkCredential(string.Empty, AccessToken).Password)
                : ImapCredential.FromPassword(Credential.GetNetworkCredential().Password);
            account = new ImapAccountOptions(Server, user, credential)
            {
                Encryption = Encryption,
                Port = Port,
                MaxConnections = MaxConnections,
                MaxRetries = MaxRetries,
                TrustedCertificateAuthorities = TrustedCaPath is null ? Array.Empty<X509Certificate2>() : new[] { LoadCertificate(TrustedCaPath) },
            };
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or System.Security.Cryptography.CryptographicException)
        {
            ThrowTerminatingError(ErrorIds.ToErrorRecord(ex is ArgumentException ? ex : new ArgumentException(ex.Message, nameof(TrustedCaPath), ex), Server));
            return;
        }

        var client = new ImapRxClient(account);
        try
        {
            // Log in now, so a wrong password or certificate fails here and not in the next cmdlet.
            client.Folder("INBOX").Wait();
        }
        catch (Exception ex)
        {
            client.DisposeAsync().AsTask().GetAwaiter().GetResult();
            ThrowTerminatingError(ErrorIds.ToErrorRecord(ex, Server));
            return;
        }

        var session = new ImapSession(client);
        ImapSession.SetDefault(this, session);
        WriteVerbose($"Connected to {session}.");
        WriteObject(session);
    }

    private X509Certificate2 LoadCertificate(string path)
    {
        var resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
        return new X509Certificate2(File.ReadAllBytes(resolved));
    }
}
