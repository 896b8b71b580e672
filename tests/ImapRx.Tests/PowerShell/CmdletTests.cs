using System.Management.Automation;
using System.Security;
using ImapRx.Model;
using ImapRx.Sandbox.Server;
using ImapRx.Tests.Server;

namespace ImapRx.Tests.PowerShell;

[Collection(DovecotToolsCollection.Name)]
public sealed class CmdletTests(DovecotFixture fixture)
{
    private async Task<(PowerShellHost Host, SandboxUser User)> ConnectedAsync(int messages = 8)
    {
        var user = await fixture.CreateUserAsync();
        if (messages > 0)
        {
            await new MaildirWriter(fixture.Server).WriteAsync(user, "INBOX", new CorpusGenerator(21).Generate(messages));
        }

        var host = new PowerShellHost();
        var result = host.Run(
            "Connect-ImapServer -Server $server -Port $port -Credential $cred -TrustedCaPath $ca",
            new Dictionary<string, object?>
            {
                ["server"] = fixture.Server.Host,
                ["port"] = fixture.Server.TlsPort,
                ["cred"] = Credential(user.Name, user.Password),
                ["ca"] = fixture.Server.CaCertificatePath,
            });
        Assert.Empty(result.Errors);
        return (host, user);
    }

    private static PSCredential Credential(string user, string password)
    {
        var secure = new SecureString();
        foreach (var c in password)
        {
            secure.AppendChar(c);
        }

        return new PSCredential(user, secure);
    }

    [DovecotFact]
    public async Task Errors_CommonFailures_HaveStableIdsAndCategories()
    {
        var (host, user) = await ConnectedAsync(messages: 1);
        using var _ = host;

        var missing = host.Run("Get-ImapMessage -Folder 'No such folder'");
        var badQuery = host.Run("Search-ImapMessage -Query 'FROM \"unterminated'");
        using var fresh = new PowerShellHost();
        var noSession = Assert.Single(fresh.Run("Get-ImapFolder").Errors);
        var wrongPassword = Assert.Single(fresh.Run(
            "Connect-ImapServer -Server $server -Port $port -Credential $cred -TrustedCaPath $ca",
            new Dictionary<string, object?> { ["server"] = fixture.Server.Host, ["port"] = fixture.Server.TlsPort, ["cred"] = Credential(user.Name, "wrong-Pa55word!"), ["ca"] = fixture.Server.CaCertificatePath }).Errors);

        Assert.Equal("ImapFolderNotFound,ImapRx.PowerShell.Commands.GetImapMessageCommand", Assert.Single(missing.Errors).FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, missing.Errors[0].CategoryInfo.Category);
        Assert.StartsWith("ImapInvalidSearchQuery", Assert.Single(badQuery.Errors).FullyQualifiedErrorId);
        Assert.StartsWith("ImapNoSession", noSession.FullyQualifiedErrorId);
        Assert.StartsWith("ImapAuthenticationFailed", wrongPassword.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, wrongPassword.CategoryInfo.Category);
        Assert.DoesNotContain("wrong-Pa55word!", wrongPassword.ToString() + wrongPassword.Exception);
    }

    [DovecotFact]
    public async Task WatchImapFolder_AppendByAnotherClient_EmitsEventAndStopsOnStop()
    {
        var (host, user) = await ConnectedAsync(messages: 0);
        using var _ = host;
        var (shell, pending, output) = host.Start("Watch-ImapFolder -Folder INBOX -IncludeSummary");
        using (shell)
        {
            await Task.Delay(1500); // let the watch reach IDLE
            await using (var other = await SandboxClient.ConnectAsync(fixture.Server, user))
            {
                await other.AppendAsync("INBOX", new CorpusGenerator(4).CreateSmallMessage(0));
            }

            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!output.Any(IsArrival) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }

            Assert.Single(output.First(IsArrival).Get<IEnumerable<uint>>("Uids"));
            shell.Stop();
            Assert.True(pending.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(15)), "Watch-ImapFolder did not stop");
            Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
        }

        // The watch's dedicated connection is gone once the cmdlet stopped.
        Assert.Equal(0, await fixture.Server.WaitForConnectionsAsync(0, user.Name, TimeSpan.FromSeconds(15)));
    }

    [DovecotFact]
    public async Task Errors_ConnectionLostAndServerGone_ReportImapConnectionLostAsAConnectionError()
    {
        var user = await fixture.CreateUserAsync();
        await using var proxy = new ImapRx.Sandbox.Faults.FaultProxy(fixture.Server.PlainPort);
        using var host = new PowerShellHost();
        var connected = host.Run(
            "Connect-ImapServer -Server $server -Port $port -Encryption None -Credential $cred -MaxRetries 0",
            new Dictionary<string, object?> { ["server"] = proxy.Host, ["port"] = proxy.Port, ["cred"] = Credential(user.Name, user.Password) });
        Assert.Empty(connected.Errors);

        proxy.RefuseConnections(true);
        Assert.Equal(1, proxy.CutAll());
        var lost = host.Run("Get-ImapFolder");

        var error = Assert.Single(lost.Errors);
        Assert.StartsWith("ImapConnectionLost", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
        Assert.DoesNotContain(user.Password, error.ToString() + error.Exception);

        // The session recovers by itself once the server is reachable again.
        proxy.RefuseConnections(false);
        var again = host.Run("Get-ImapFolder");
        Assert.Empty(again.Errors);
        Assert.Contains(again.Output, o => o.Get<string>("FullName") == "INBOX");
    }

    private static bool IsArrival(PSObject value) => value.BaseObject.GetType().Name == "MessagesArrived";
}
