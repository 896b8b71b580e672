using ImapRx.Sandbox.Server;
using MailKit.Net.Imap;
using MailKit.Security;

namespace ImapRx.Tests.Server;

[Collection(DovecotCollection.Name)]
public sealed class DovecotServerDiagnosticsTests(DovecotFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [DovecotFact]
    public async Task CountConnectionsAsync_ForUser_FollowsLoginsAndLogouts()
    {
        var user = await fixture.CreateUserAsync();
        var clients = new List<ImapClient>();
        for (var i = 0; i < 3; i++)
        {
            clients.Add(await SandboxImap.LogInAsync(fixture.Server, user));
        }

        var open = await fixture.Server.WaitForConnectionsAsync(3, user.Name, Patience);
        foreach (var client in clients)
        {
            await client.DisconnectAsync(true);
            client.Dispose();
        }

        var closed = await fixture.Server.WaitForConnectionsAsync(0, user.Name, Patience);
        Assert.Equal(3, open);
        Assert.Equal(0, closed);
    }

    [DovecotFact]
    public async Task LogIn_MoreSessionsThanDovecotsDefaultLimit_AllSucceed()
    {
        // Dovecot allows 10 per user and IP by default; the sandbox raises it for pool tests.
        var user = await fixture.CreateUserAsync();
        var clients = new List<ImapClient>();
        try
        {
            for (var i = 0; i < 25; i++)
            {
                clients.Add(await SandboxImap.LogInAsync(fixture.Server, user));
            }

            Assert.Equal(25, await fixture.Server.WaitForConnectionsAsync(25, user.Name, Patience));
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    [DovecotFact]
    public async Task CountConnectionsAsync_AllUsers_CountsConnectionsThatHaveNotLoggedIn()
    {
        // A server of its own, so no other test's connections are counted.
        await using var server = await DovecotServer.StartAsync(new DovecotServerOptions { EnableSsl = false });
        using var idle = new ImapClient();
        using var idle2 = new ImapClient();

        await idle.ConnectAsync(server.Host, server.PlainPort, SecureSocketOptions.None);
        await idle2.ConnectAsync(server.Host, server.PlainPort, SecureSocketOptions.None);
        var open = await server.WaitForConnectionsAsync(2, user: null, Patience);
        await idle.DisconnectAsync(true);
        var afterOneLeft = await server.WaitForConnectionsAsync(1, user: null, Patience);

        Assert.Equal(2, open);
        Assert.Equal(1, afterOneLeft);
    }

    [DovecotFact]
    public async Task CountLoginAttempts_OneGoodOneBad_CountsBoth()
    {
        var user = await fixture.CreateUserAsync();
        using (var good = await SandboxImap.LogInAsync(fixture.Server, user))
        {
            await good.DisconnectAsync(true);
        }

        using var bad = new ImapClient();
        await bad.ConnectAsync(fixture.Server.Host, fixture.Server.PlainPort, SecureSocketOptions.None);
        // One SASL mechanism, so exactly one attempt (plain AuthenticateAsync would also try LOGIN).
        await Assert.ThrowsAsync<AuthenticationException>(
            () => bad.AuthenticateAsync(new SaslMechanismPlain(user.Name, user.Password + "-wrong")));

        var attempts = await fixture.Server.WaitForLoginAttemptsAsync(2, user.Name, Patience);
        Assert.Equal(2, attempts);
        Assert.Equal(1, fixture.Server.CountLogLines($"Login: user=<{user.Name}>"));
    }

    [DovecotFact]
    public async Task ReadLog_AfterLogins_NeverContainsThePassword()
    {
        var user = await fixture.CreateUserAsync();
        using (var client = await SandboxImap.LogInAsync(fixture.Server, user))
        {
            await client.DisconnectAsync(true);
        }

        await fixture.Server.WaitForLoginAttemptsAsync(1, user.Name, Patience);
        var log = fixture.Server.ReadLog();

        Assert.Contains("starting up for imap", log);
        Assert.DoesNotContain(user.Password, log);
    }

    [DovecotFact]
    public async Task RunDoveadmAsync_UnknownUser_ThrowsWithDoveadmsError()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(
            () => fixture.Server.RunDoveadmAsync(["mailbox", "list", "-u", "nobody-here"]));

        Assert.Contains("doesn't exist", ex.Message);
    }
}
