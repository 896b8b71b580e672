using System;
using System.IO;
using System.Management.Automation;
using System.Net;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Threading;
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
    private const string AccessTokenProviderSet = "AccessTokenProvider";

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
    [Parameter(Mandatory = true, ParameterSetName = AccessTokenProviderSet)]
    [ValidateNotNullOrEmpty]
    public string UserName { get; set; } = string.Empty;

    /// <summary>An OAuth2 access token (XOAUTH2), as a SecureString so it is not echoed or logged.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AccessTokenSet)]
    public System.Security.SecureString? AccessToken { get; set; }

    /// <summary>
    /// A script block that outputs an OAuth2 access token (a string, or a SecureString such as Get-Secret returns).
    /// It is called whenever a connection logs in, and again with $true as its first argument after the server
    /// rejected a token, so a session outlives any one token. It runs in a runspace of its own: it sees none of
    /// your variables and imports the modules it uses.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = AccessTokenProviderSet)]
    public ScriptBlock? AccessTokenProvider { get; set; }

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

    /// <summary>
    /// Make this session the default even when another connected session is the default already. Without it, only
    /// the first session (or the first after the default was disconnected) becomes the default, so a second account
    /// never silently takes over the cmdlets that run without -Session.
    /// </summary>
    [Parameter]
    public SwitchParameter SetDefault { get; set; }

    private readonly CancellationTokenSource _stopping = new();

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        ImapAccountOptions account;
        ScriptBlockTokenProvider? tokenProvider = null;
        try
        {
            var user = ParameterSetName == CredentialSet ? Credential.UserName : UserName;
            var credential = ParameterSetName switch
            {
                AccessTokenSet => ImapCredential.FromAccessToken(new NetworkCredential(string.Empty, AccessToken).Password),
                AccessTokenProviderSet => ImapCredential.FromAccessTokenProvider((tokenProvider = new ScriptBlockTokenProvider(AccessTokenProvider!)).GetTokenAsync),
                _ => ImapCredential.FromPassword(Credential.GetNetworkCredential().Password),
            };
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
            tokenProvider?.Dispose();
            WriteError(ErrorIds.ToErrorRecord(ex is ArgumentException ? ex : new ArgumentException(ex.Message, nameof(TrustedCaPath), ex), Server));
            return;
        }

        // The pool retries a refused or unreachable server with backoff (18-24 s with the defaults): right for a
        // dropped connection later, wrong for a typo now. One plain TCP connect answers "is anything there" at once.
        WriteVerbose($"Connecting to {account.Host}:{account.Port} ({account.Encryption}) as {account.Username}.");
        if (Probe(account) is { } unreachable)
        {
            tokenProvider?.Dispose();
            WriteError(new ErrorRecord(unreachable, ErrorIds.ConnectionFailed, ErrorCategory.ConnectionError, Server));
            return;
        }

        var client = new ImapRxClient(account);
        try
        {
            // Log in now, so a wrong password or certificate fails here and not in the next cmdlet; Ctrl+C cancels.
            client.Folder("INBOX").ToTask(_stopping.Token).Wait(_stopping.Token);
        }
        catch (Exception ex)
        {
            client.DisposeAsync().AsTask().GetAwaiter().GetResult();
            tokenProvider?.Dispose();
            if (ex is OperationCanceledException && _stopping.IsCancellationRequested)
            {
                return;
            }

            var cause = ex is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerException! : ex;
            var record = ErrorIds.ToErrorRecord(cause, Server);
            WriteError(record.FullyQualifiedErrorId == ErrorIds.ConnectionLost
                ? new ErrorRecord(cause, ErrorIds.ConnectionFailed, ErrorCategory.ConnectionError, Server)
                : record);
            return;
        }

        var session = new ImapSession(client, tokenProvider);
        var current = ImapSession.GetDefault(this);
        if (current is null || !current.IsConnected || SetDefault)
        {
            ImapSession.SetDefault(this, session);
            WriteVerbose($"Connected to {session}; it is the default session.");
        }
        else
        {
            WriteWarning($"Connected to {session}, but the default session stays {current}: pass -Session to use the new one, or connect with -SetDefault.");
        }

        WriteObject(session);
    }

    /// <inheritdoc/>
    protected override void StopProcessing() => _stopping.Cancel();

    private Exception? Probe(ImapAccountOptions account)
    {
        using var socket = new System.Net.Sockets.TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timeout.CancelAfter(account.Timeout);
        try
        {
            socket.ConnectAsync(account.Host, account.Port).Wait(timeout.Token);
            return null;
        }
        catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
        {
            return new ImapConnectException(account.Host, account.Port, 1, new ImapConnectionException($"No answer within {account.Timeout.TotalSeconds:0} s.", new TimeoutException()));
        }
        catch (AggregateException ex) when (ex.InnerException is System.Net.Sockets.SocketException socketError)
        {
            return new ImapConnectException(account.Host, account.Port, 1, new ImapConnectionException(socketError.Message, socketError));
        }
    }

    private X509Certificate2 LoadCertificate(string path)
    {
        var resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
        return new X509Certificate2(File.ReadAllBytes(resolved));
    }
}
