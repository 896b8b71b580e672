using ImapRx.Configuration;
using ImapRx.Model;
using ImapRx.Sandbox.Faults;
using ImapRx.Sandbox.Server;
using ImapRx.Sync;
using ImapRx.Tests.Server;
using ImapRx.Tests.Watching;
using System.Reactive.Linq;
using MailKit;

namespace ImapRx.Tests.Sync;

/// <summary>
/// A server without CONDSTORE or QRESYNC (Microsoft 365 is one): flag changes can only be found by keeping every
/// message's flags and comparing, in Sync across runs and in Watch across reconnects.
/// </summary>
public sealed class WithoutCondStoreTests : IAsyncLifetime
{
    private DovecotServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await DovecotServer.StartAsync(new DovecotServerOptions
        {
            ExtraConfiguration = new[] { "imap_capability = IMAP4rev1 SASL-IR LITERAL+ ID ENABLE IDLE UIDPLUS MOVE NAMESPACE ESEARCH LIST-STATUS SPECIAL-USE" },
        });
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [DovecotFact]
    public async Task Sync_ServerWithoutCondStore_FindsFlagChangesByComparisonAcrossStoreInstances()
    {
        var user = await _server.CreateUserAsync();
        await using var other = await SandboxClient.ConnectAsync(_server, user);
        var generator = new CorpusGenerator(60);
        var uids = new List<UniqueId>();
        for (var i = 1; i <= 4; i++)
        {
            uids.Add(await other.AppendAsync("INBOX", generator.CreateSmallMessage(i)));
        }

        var directory = Directory.CreateTempSubdirectory("imaprx-sync-").FullName;
        try
        {
            await using var client = SandboxAccounts.Client(_server, user);
            var first = await client.Sync("INBOX", new FileSyncStateStore(directory)).ToList();
            Assert.Equal(uids.Select(u => u.Id), first.OfType<MessagesArrived>().SelectMany(a => a.Uids));

            await other.AddFlagsAsync("INBOX", new[] { uids[1] }, MessageFlags.Flagged);
            await other.AddFlagsAsync("INBOX", new[] { uids[3] }, MessageFlags.Answered);
            var arrived = await other.AppendAsync("INBOX", generator.CreateSmallMessage(5));

            // A new store instance on the same directory: what a restarted process sees.
            var second = await client.Sync("INBOX", new FileSyncStateStore(directory)).ToList();
            var changes = second.OfType<FlagsChanged>().ToList();
            Assert.Equal(new[] { uids[1].Id, uids[3].Id }, changes.Select(c => c.Uid));
            Assert.Contains("\\Flagged", changes[0].Flags);
            Assert.Contains("\\Answered", changes[1].Flags);
            Assert.All(changes, c => Assert.Null(c.ModSeq));
            Assert.Equal(new[] { arrived.Id }, second.OfType<MessagesArrived>().SelectMany(a => a.Uids));

            var third = await client.Sync("INBOX", new FileSyncStateStore(directory)).ToList();
            Assert.Empty(third);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [DovecotFact]
    public async Task Watch_ServerWithoutCondStore_FlagChangeDuringOutageEmittedOnceOnResume()
    {
        var user = await _server.CreateUserAsync();
        await using var other = await SandboxClient.ConnectAsync(_server, user);
        var generator = new CorpusGenerator(61);
        var kept = await other.AppendAsync("INBOX", generator.CreateSmallMessage(1));
        await using var proxy = new FaultProxy(_server.PlainPort);
        var account = new ImapAccountOptions(proxy.Host, user.Name, ImapCredential.FromPassword(user.Password))
        {
            Encryption = ImapEncryption.None,
            Port = proxy.Port,
            RetryDelay = TimeSpan.FromMilliseconds(100),
            MaxRetryDelay = TimeSpan.FromMilliseconds(400),
        };
        await using var client = new ImapRxClient(account);
        var events = new WatchTests.EventLog();
        using var subscription = client.Watch("INBOX").Subscribe(events.Add, events.Fail);
        await events.WaitForAsync<WatchIdling>(1);

        // Live first, so the watch's flag map is updated by the server's push, not only by the initial fetch.
        await other.AddFlagsAsync("INBOX", new[] { kept }, MessageFlags.Answered);
        await events.WaitForAsync<FlagsChanged>(1);

        proxy.RefuseConnections(true);
        proxy.CutAll();
        await events.WaitForAsync<WatchReconnecting>(1);
        await other.AddFlagsAsync("INBOX", new[] { kept }, MessageFlags.Flagged);
        proxy.RefuseConnections(false);
        var resumed = (await events.WaitForAsync<WatchResumed>(1))[0];

        Assert.Equal(1, resumed.FlagChanges);
        var changes = events.Of<FlagsChanged>();
        Assert.Equal(2, changes.Count);
        Assert.Equal(new[] { "\\Answered" }, changes[0].Flags);
        Assert.Equal(new[] { "\\Answered", "\\Flagged" }, changes[1].Flags.OrderBy(f => f, StringComparer.Ordinal));

        // Another outage with no change in between must not report the same change again.
        proxy.CutAll();
        await events.WaitForAsync<WatchResumed>(2);
        Assert.Equal(2, events.Of<FlagsChanged>().Count);
    }
}
