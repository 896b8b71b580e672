using ImapRx.Configuration;
using ImapRx.Model;
using ImapRx.Sandbox.Server;
using ImapRx.Tests.Server;
using ImapRx.Watching;

namespace ImapRx.Tests.Watching;

/// <summary>Servers that lack something: no IDLE (the watch polls), no STARTTLS (we refuse plain text).</summary>
public sealed class WatchWithoutIdleTests
{
    [DovecotFact]
    public async Task Watch_ServerWithoutIdle_PollsAndStillDeliversArrivals()
    {
        // After login this server advertises no IDLE, so the watch must fall back to NOOP polling.
        await using var server = await DovecotServer.StartAsync(new DovecotServerOptions
        {
            ExtraConfiguration = new[] { "imap_capability = IMAP4rev1 SASL-IR LITERAL+ UIDPLUS MOVE NAMESPACE" },
        });
        var user = await server.CreateUserAsync();
        await using var client = SandboxAccounts.Client(server, user);
        var events = new WatchTests.EventLog();
        using var subscription = client.Watch("INBOX", new WatchOptions { PollInterval = TimeSpan.FromSeconds(1) }).Subscribe(events.Add);
        var idling = await events.WaitForAsync<WatchIdling>(1);
        Assert.True(idling[0].IsPolling);

        await using var other = await SandboxClient.ConnectAsync(server, user);
        var uid = await other.AppendAsync("INBOX", new CorpusGenerator(50).CreateSmallMessage(0));

        var arrived = await events.WaitForAsync<MessagesArrived>(1);
        Assert.Equal(new[] { uid.Id }, arrived[0].Uids);
    }

    [DovecotFact]
    public async Task Connect_StartTlsToAServerWithoutStartTls_FailsInsteadOfFallingBackToPlainText()
    {
        await using var server = await DovecotServer.StartAsync(new DovecotServerOptions { EnableSsl = false });
        var user = await server.CreateUserAsync();
        var account = new ImapAccountOptions(server.Host, user.Name, ImapCredential.FromPassword(user.Password))
        {
            Encryption = ImapEncryption.StartTls,
            Port = server.PlainPort,
            MaxRetries = 0,
        };
        await using var client = new ImapRxClient(account);

        var error = await Assert.ThrowsAsync<ImapCertificateException>(() => client.GetFoldersAsync());

        Assert.Contains("STARTTLS", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsTransient);
        Assert.Equal(0, server.CountLoginAttempts(user.Name)); // the password never crossed the wire
    }
}
