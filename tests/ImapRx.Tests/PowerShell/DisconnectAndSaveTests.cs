using System.Management.Automation;
using System.Security;
using ImapRx.Sandbox.Server;
using ImapRx.Tests.Server;

namespace ImapRx.Tests.PowerShell;

/// <summary>
/// The cmdlets' side of issue 18: Disconnect-ImapServer ends a running Watch-ImapFolder of the session and leaves
/// no session on the server, and a message that cannot be parsed is a stable error id, not a bare FormatException.
/// </summary>
[Collection(DovecotToolsCollection.Name)]
public sealed class DisconnectAndSaveTests(DovecotFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [DovecotFact]
    public async Task DisconnectImapServer_WatchRunningInAnotherPipeline_WatchEndsAndNoSessionIsLeft()
    {
        var user = await fixture.CreateUserAsync();
        using var host = Connected(user);
        var session = host.Run("$global:ImapRxDefaultSession").Output.Single().BaseObject;
        var (shell, pending, output) = host.Start("Watch-ImapFolder -Folder INBOX -IncludeStatus");
        using (shell)
        {
            var deadline = DateTime.UtcNow + Patience;
            // By name: the module's ImapRx types live in the module's own load context.
            while (!output.Any(o => o.BaseObject.GetType().Name == "WatchIdling"))
            {
                Assert.True(DateTime.UtcNow < deadline, "Watch-ImapFolder never reached IDLE");
                await Task.Delay(20);
            }

            Assert.True(await fixture.Server.CountConnectionsAsync(user.Name) >= 1);

            // Another runspace, as another script or job would: the watch's pipeline is busy in this one.
            using var other = new PowerShellHost();
            var disconnect = await Task.Run(() => other.Run("Disconnect-ImapServer -Session $session", new Dictionary<string, object?> { ["session"] = session })).WaitAsync(Patience);

            Assert.Empty(disconnect.Errors);
            Assert.True(pending.AsyncWaitHandle.WaitOne(Patience), "Watch-ImapFolder did not end with its session");
            Assert.Equal(PSInvocationState.Completed, shell.InvocationStateInfo.State);
            Assert.Empty(shell.Streams.Error);
        }

        Assert.Equal(0, await fixture.Server.WaitForConnectionsAsync(0, user.Name, Patience));
    }

    [DovecotFact]
    public async Task SaveImapAttachment_EmptyMessage_ImapMessageMalformedNamingFolderAndUid_SaveImapMessageKeepsTheBytes()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, "INBOX", new[]
        {
            CorpusMessage.Raw(ReadOnlyMemory<byte>.Empty, "empty"),
            new CorpusGenerator(183) { MalformedInterval = 0 }.CreateSmallMessage(0),
        });
        using var host = Connected(user);
        var directory = Directory.CreateTempSubdirectory("imaprx-malformed-").FullName;
        try
        {
            var attachments = host.Run("Get-ImapMessage -Folder INBOX | Save-ImapAttachment -Path $dir", new Dictionary<string, object?> { ["dir"] = directory });
            var saved = host.Run("Save-ImapMessage -Folder INBOX -Uid 1 -Path $file", new Dictionary<string, object?> { ["file"] = Path.Combine(directory, "empty.eml") });

            // One error for the empty message; the well-formed one after it was still read.
            var error = Assert.Single(attachments.Errors);
            Assert.Equal("ImapMessageMalformed,ImapRx.PowerShell.Commands.SaveImapAttachmentCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
            Assert.Contains("UID 1 in 'INBOX'", error.Exception.Message, StringComparison.Ordinal);
            Assert.Empty(saved.Errors);
            Assert.Equal(0, new FileInfo(Path.Combine(directory, "empty.eml")).Length);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private PowerShellHost Connected(SandboxUser user)
    {
        var host = new PowerShellHost();
        var secure = new SecureString();
        foreach (var c in user.Password)
        {
            secure.AppendChar(c);
        }

        var result = host.Run(
            "Connect-ImapServer -Server $server -Port $port -Credential $cred -TrustedCaPath $ca",
            new Dictionary<string, object?>
            {
                ["server"] = fixture.Server.Host,
                ["port"] = fixture.Server.TlsPort,
                ["cred"] = new PSCredential(user.Name, secure),
                ["ca"] = fixture.Server.CaCertificatePath,
            });
        Assert.Empty(result.Errors);
        return host;
    }
}
