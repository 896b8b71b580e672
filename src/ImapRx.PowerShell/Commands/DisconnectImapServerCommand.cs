using System.Management.Automation;
using ImapRx.PowerShell.Infrastructure;

namespace ImapRx.PowerShell.Commands;

/// <summary>Disconnect-ImapServer: closes every connection of a session.</summary>
[Cmdlet(VerbsCommunications.Disconnect, "ImapServer")]
public sealed class DisconnectImapServerCommand : PSCmdlet
{
    /// <summary>The session to close; the default session when omitted.</summary>
    [Parameter(ValueFromPipeline = true)]
    public ImapSession? Session { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var session = Session ?? ImapSession.GetDefault(this);
        if (session is null)
        {
            return;
        }

        session.Close();
        if (ReferenceEquals(ImapSession.GetDefault(this), session))
        {
            ImapSession.SetDefault(this, null);
        }

        WriteVerbose($"Disconnected {session}.");
    }
}
