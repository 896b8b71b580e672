using System.Management.Automation;
using System.Security;
using ImapRx.Model;
using ImapRx.Sandbox.Server;
using ImapRx.Tests.Server;

namespace ImapRx.Tests.PowerShell;

[Collection(DovecotCollection.Name)]
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
    public async Task Pipeline_InboxUnseenToSeen_MarksEverythingRead()
    {
        var (host, _) = await ConnectedAsync();
        using var _ = host;
        var unseenBefore = host.Run("Search-ImapMessage -Unseen").Objects("MailMessageInfo");

        var result = host.Run("Get-ImapFolder -Type Inbox | Search-ImapMessage -Unseen | Set-ImapMessageFlag -Seen");

        Assert.Empty(result.Errors);
        Assert.NotEmpty(unseenBefore);
        Assert.Empty(host.Run("Search-ImapMessage -Unseen").Output);
        Assert.Equal(8, host.Run("Search-ImapMessage -Seen").Objects("MailMessageInfo").Count);
    }

    [DovecotFact]
    public async Task SetAndRemove_WhatIf_ChangeNothingOnTheServer()
    {
        var (host, user) = await ConnectedAsync();
        using var _ = host;
        var seen = host.Run("Search-ImapMessage -Seen").Objects("MailMessageInfo").Count;

        host.Run("Get-ImapMessage | Set-ImapMessageFlag -Seen -WhatIf");
        host.Run("Get-ImapMessage | Remove-ImapMessage -WhatIf");

        Assert.Equal(seen, host.Run("Search-ImapMessage -Seen").Objects("MailMessageInfo").Count);
        await using var other = await SandboxClient.ConnectAsync(fixture.Server, user);
        Assert.Equal(8, (await other.GetUidsAsync("INBOX")).Count);
    }

    [DovecotFact]
    public async Task MoveCopyRemoveSave_Pipelines_ActOnTheServer()
    {
        var (host, user) = await ConnectedAsync();
        using var _ = host;
        var directory = Directory.CreateTempSubdirectory("imaprx-save-").FullName;
        try
        {
            host.Run("Get-ImapMessage -First 2 | Copy-ImapMessage -Destination Archive");
            host.Run("Get-ImapMessage -Uid 3 | Move-ImapMessage -Destination 'Folder With Space'");
            host.Run("Get-ImapMessage -Uid 4 | Remove-ImapMessage -Confirm:$false");
            var saved = host.Run("Get-ImapMessage -Uid 5 | Save-ImapMessage -Path $dir", new Dictionary<string, object?> { ["dir"] = directory });

            await using var other = await SandboxClient.ConnectAsync(fixture.Server, user);
            Assert.Equal(2, (await other.GetUidsAsync("Archive")).Count);
            Assert.Single(await other.GetUidsAsync("Folder With Space"));
            Assert.Equal(new uint[] { 1, 2, 5, 6, 7, 8 }, (await other.GetUidsAsync("INBOX")).Select(u => u.Id));
            var file = Assert.IsType<FileInfo>(Assert.Single(saved.Output).BaseObject);
            Assert.True(file.Length > 100);
        }
        finally
        {
            Directory.Delete(directory, true);
        }
    }

    [DovecotFact]
    public async Task GetImapMessage_LongFetch_WritesProgressAndStreams()
    {
        var (host, _) = await ConnectedAsync(messages: 30);
        using var _ = host;

        var result = host.Run("Get-ImapMessage -BatchSize 10 -IncludeBody");

        Assert.Equal(30, result.Objects("MailMessageInfo").Count);
        Assert.Contains(result.Progress, p => p.RecordType == ProgressRecordType.Processing && p.StatusDescription.Contains("message(s) from INBOX"));
        Assert.Contains(result.Progress, p => p.RecordType == ProgressRecordType.Completed);
        Assert.All(result.Objects("MailMessageInfo"), m => Assert.NotNull(m.Get<string>("TextBody")));
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
    public async Task Output_SessionAndErrors_NeverShowThePassword()
    {
        var (host, user) = await ConnectedAsync(messages: 2);
        using var _ = host;

        var result = host.Run("$s = Get-Variable -Name ImapRxDefaultSession -Scope Global -ValueOnly; $s; $s.ToString(); $s.Client.Account.ToString(); Get-ImapFolder; Get-ImapMessage -Folder Nope");

        Assert.NotEmpty(result.Output);
        Assert.DoesNotContain(user.Password, result.AllText());
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

    [DovecotFact]
    public async Task TabCompletion_FolderParameter_OffersServerFoldersQuotedWhenNeeded()
    {
        var (host, _) = await ConnectedAsync(messages: 0);
        using var _ = host;

        var projects = host.Complete("Get-ImapMessage -Folder Proj");
        var spaced = host.Complete("Search-ImapMessage -Unseen -Folder Folder");
        var german = host.Complete("Get-ImapMessage -Folder Entw");
        var none = host.Complete("Get-ImapMessage -Folder NoSuchPrefix");

        Assert.Equal(new[] { "Projects", "Projects/2026", "Projects/2026/Q1", "Projects/2026/Q2" }, projects);
        Assert.Equal(new[] { "'Folder With Space'" }, spaced);
        Assert.Equal(new[] { "Entwürfe" }, german);
        Assert.Empty(none);
    }

    [DovecotFact]
    public async Task SyncImapFolder_SecondRun_ReportsOnlyNewMessages()
    {
        var (host, user) = await ConnectedAsync(messages: 3);
        using var _ = host;
        var state = Directory.CreateTempSubdirectory("imaprx-pssync-").FullName;
        try
        {
            var vars = new Dictionary<string, object?> { ["state"] = state };
            var first = host.Run("Sync-ImapFolder -Folder INBOX -StatePath $state", vars).Objects("MessagesArrived");
            await using (var other = await SandboxClient.ConnectAsync(fixture.Server, user))
            {
                await other.AppendAsync("INBOX", new CorpusGenerator(40).CreateSmallMessage(0));
            }

            var second = host.Run("Sync-ImapFolder -Folder INBOX -StatePath $state", vars).Objects("MessagesArrived");

            Assert.Equal(new uint[] { 1, 2, 3 }, first.SelectMany(e => e.Get<IEnumerable<uint>>("Uids")));
            Assert.Equal(new uint[] { 4 }, Assert.Single(second).Get<IEnumerable<uint>>("Uids"));
        }
        finally
        {
            Directory.Delete(state, true);
        }
    }

    private static bool IsArrival(PSObject value) => value.BaseObject.GetType().Name == "MessagesArrived";
}
