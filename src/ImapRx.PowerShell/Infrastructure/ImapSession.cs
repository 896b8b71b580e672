using System;
using ImapRx.Configuration;

namespace ImapRx.PowerShell.Infrastructure;

/// <summary>A connection to one account made by Connect-ImapServer; the last one made is the default.</summary>
public sealed class ImapSession
{
    private readonly IDisposable? _owned;

    internal ImapSession(ImapRxClient client, IDisposable? owned = null)
    {
        Client = client;
        _owned = owned;
    }

    /// <summary>Closes every connection and what the session owns (the -AccessTokenProvider runspace).</summary>
    internal void Close()
    {
        IsConnected = false;
        try
        {
            Client.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        finally
        {
            _owned?.Dispose();
        }
    }

    /// <summary>The server host.</summary>
    public string Server => Client.Account.Host;

    /// <summary>The server port.</summary>
    public int Port => Client.Account.Port;

    /// <summary>The login name.</summary>
    public string UserName => Client.Account.Username;

    /// <summary>How the connection is secured.</summary>
    public ImapEncryption Encryption => Client.Account.Encryption;

    /// <summary>The ImapRx client, for scripts that want the Rx API.</summary>
    public ImapRxClient Client { get; }

    /// <summary>True until Disconnect-ImapServer.</summary>
    public bool IsConnected { get; internal set; } = true;

    /// <inheritdoc/>
    public override string ToString() => $"{UserName}@{Server}:{Port} ({Encryption})";

    // Kept per runspace (a global variable), so two runspaces in one process never share a default.
    private const string DefaultVariable = "global:ImapRxDefaultSession";

    /// <summary>The default session for cmdlets called without -Session in this runspace.</summary>
    internal static ImapSession? GetDefault(System.Management.Automation.PSCmdlet cmdlet)
        => cmdlet.SessionState.PSVariable.GetValue(DefaultVariable) as ImapSession;

    internal static void SetDefault(System.Management.Automation.PSCmdlet cmdlet, ImapSession? session)
        => cmdlet.SessionState.PSVariable.Set(DefaultVariable, session);
}
