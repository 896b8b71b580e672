using ImapRx.Configuration;
using ImapRx.Model;
using ImapRx.Pooling;
using ImapRx.Sandbox.Faults;
using ImapRx.Sandbox.Server;
using ImapRx.Tests.Server;
using ImapRx.Watching;
using MailKit;

namespace ImapRx.Tests.Watching;

/// <summary>Multi-folder watches: one NOTIFY connection where the server has it, one IDLE per folder where not.</summary>
[Collection(DovecotWatchCollection.Name)]
public sealed class WatchNotifyTests(DovecotFixture fixture)
{
    private static readonly string[] Folders = { "INBOX", SandboxFolders.Archive, "Projects/2026/Q1" };

    [DovecotFact]
    public async Task Watch_ThreeFoldersWithNotify_OneConnectionReportsEveryFoldersChanges()
    {
        var user = await fixture.CreateUserAsync();
        await using var other = await SandboxClient.ConnectAsync(fixture.Server, user);
        var generator = new CorpusGenerator(70);
        var inboxOld = await other.AppendAsync("INBOX", generator.CreateSmallMessage(1));
        var archiveOld = await other.AppendAsync(SandboxFolders.Archive, generator.CreateSmallMessage(2));
        var wire = new WireLog();
        await using var pool = new ImapConnectionPool(new ImapPoolOptions { ProtocolLog = wire.Open });
        await using var client = new ImapRxClient(SandboxAccounts.For(fixture.Server, user), pool);
        var events = new WatchTests.EventLog();
        using var subscription = client.Watch(Folders).Subscribe(events.Add, events.Fail);
        await events.WaitUntilAsync(() => events.Of<WatchIdling>().Count >= Folders.Length);

        Assert.Equal(2, await fixture.Server.CountConnectionsAsync(user.Name)); // the watch's one, and `other`
        Assert.Equal(1, CountNotify(wire));

        // Changes in the folder left selected and in the ones that are not.
        var q1 = await other.AppendAsync("Projects/2026/Q1", generator.CreateSmallMessage(3));
        var inboxNew = await other.AppendAsync("INBOX", generator.CreateSmallMessage(4));
        await other.AddFlagsAsync(SandboxFolders.Archive, new[] { archiveOld }, MessageFlags.Flagged);
        await other.ExpungeAsync("INBOX", new[] { inboxOld });

        await events.WaitUntilAsync(() => events.Of<MessagesArrived>().Count >= 2 && events.Of<FlagsChanged>().Count >= 1 && events.Of<MessagesExpunged>().Count >= 1);
        await Task.Delay(1000); // a duplicate would show up by now
        Assert.Equal(new[] { q1.Id }, ArrivedIn(events, "Projects/2026/Q1"));
        Assert.Equal(new[] { inboxNew.Id }, ArrivedIn(events, "INBOX"));
        Assert.Empty(ArrivedIn(events, SandboxFolders.Archive));
        var flags = Assert.Single(events.Of<FlagsChanged>());
        Assert.Equal((SandboxFolders.Archive, archiveOld.Id), (flags.Folder, flags.Uid));
        Assert.Contains("\\Flagged", flags.Flags);
        var expunged = Assert.Single(events.Of<MessagesExpunged>());
        Assert.Equal("INBOX", expunged.Folder);
        Assert.Equal(new[] { inboxOld.Id }, expunged.Uids);
        Assert.Equal(2, await fixture.Server.CountConnectionsAsync(user.Name));
        Assert.Null(events.Error);
    }

    [DovecotFact]
    public async Task Watch_TwoHundredFoldersWithNotify_OneConnectionEveryFolderGetsItsArrival()
    {
        var user = await fixture.CreateUserAsync();
        var folders = Enumerable.Range(0, 200).Select(i => $"Many/{i:D3}").ToList();
        await using var other = await SandboxClient.ConnectAsync(fixture.Server, user);
        foreach (var folder in folders)
        {
            await other.CreateFolderAsync(folder);
        }

        var wire = new WireLog();
        await using var pool = new ImapConnectionPool(new ImapPoolOptions { ProtocolLog = wire.Open });
        await using var client = new ImapRxClient(SandboxAccounts.For(fixture.Server, user), pool);
        var events = new WatchTests.EventLog();
        using var subscription = client.Watch(folders).Subscribe(events.Add, events.Fail);
        await events.WaitUntilAsync(() => events.Of<WatchIdling>().Count >= folders.Count || events.Error is not null);
        Assert.True(events.Error is null, $"{events.Error}\n{Tail(wire)}");

        var generator = new CorpusGenerator(72);
        var appended = new Dictionary<string, uint>();
        foreach (var folder in folders)
        {
            appended[folder] = (await other.AppendAsync(folder, generator.CreateSmallMessage(1))).Id;
        }

        await events.WaitUntilAsync(() => events.Of<MessagesArrived>().SelectMany(a => a.Uids.Select(_ => a.Folder)).Distinct().Count() >= folders.Count);
        Assert.All(folders, f => Assert.Equal(new[] { appended[f] }, ArrivedIn(events, f)));
        Assert.Equal(1, CountNotify(wire));
        Assert.Equal(2, await fixture.Server.CountConnectionsAsync(user.Name));
    }

    private static string Tail(WireLog wire)
    {
        var lines = wire.ToString().Split('\n').Where(l => l.Contains("NOTIFY", StringComparison.Ordinal) || l.Contains(" NO ", StringComparison.Ordinal) || l.Contains(" BAD ", StringComparison.Ordinal));
        return string.Join("\n", lines.Select(l => l.Length > 300 ? l[..150] + " ... " + l[^150..] : l));
    }

    [DovecotFact]
    public async Task Watch_ThreeFoldersWithNotify_ConnectionCutWhileAppendingEverywhere_EachArrivesOnce()
    {
        var user = await fixture.CreateUserAsync();
        await using var proxy = new FaultProxy(fixture.Server.PlainPort);
        var account = new ImapAccountOptions(proxy.Host, user.Name, ImapCredential.FromPassword(user.Password))
        {
            Encryption = ImapEncryption.None,
            Port = proxy.Port,
            RetryDelay = TimeSpan.FromMilliseconds(100),
            MaxRetryDelay = TimeSpan.FromMilliseconds(400),
        };
        await using var client = new ImapRxClient(account);
        var events = new WatchTests.EventLog();
        using var subscription = client.Watch(Folders).Subscribe(events.Add, events.Fail);
        await events.WaitUntilAsync(() => events.Of<WatchIdling>().Count >= Folders.Length);

        await using var other = await SandboxClient.ConnectAsync(fixture.Server, user);
        var generator = new CorpusGenerator(71);
        var appended = Folders.ToDictionary(f => f, _ => new List<uint>());
        for (var i = 0; i < 60; i++)
        {
            if (i is 15 or 40)
            {
                // Each cut lands on a live connection: the second waits until the first outage is over.
                await events.WaitUntilAsync(() => events.Of<WatchResumed>().Count >= (i == 15 ? 0 : Folders.Length));
                Assert.Equal(1, proxy.CutAll());
            }

            var folder = Folders[i % Folders.Length];
            appended[folder].Add((await other.AppendAsync(folder, generator.CreateSmallMessage(i))).Id);
        }

        await events.WaitUntilAsync(() => events.ArrivedUids().Count >= 60);
        await Task.Delay(1500);
        foreach (var folder in Folders)
        {
            Assert.Equal(appended[folder], ArrivedIn(events, folder));
        }

        Assert.True(events.Of<WatchResumed>().Count >= 2 * Folders.Length, $"{events.Of<WatchResumed>().Count} resumes");
        Reliability.ReliabilityFigures.Add("messages checked across watch reconnects", 60);
        Reliability.ReliabilityFigures.Add("faults injected: cuts during IDLE", 2);
        Assert.Null(events.Error);
    }

    [DovecotFact]
    public async Task Watch_ThreeFoldersOnAServerWithoutNotify_FallsBackToOneIdlePerFolder()
    {
        await using var server = await DovecotServer.StartAsync(new DovecotServerOptions
        {
            ExtraConfiguration = new[] { "imap_capability = IMAP4rev1 SASL-IR LITERAL+ ID ENABLE IDLE UIDPLUS MOVE NAMESPACE ESEARCH CONDSTORE SPECIAL-USE LIST-STATUS" },
        });
        var user = await server.CreateUserAsync();
        await using var client = SandboxAccounts.Client(server, user, maxConnections: 5);
        var events = new WatchTests.EventLog();
        using var subscription = client.Watch(Folders).Subscribe(events.Add, events.Fail);
        await events.WaitUntilAsync(() => events.Of<WatchIdling>().Count >= Folders.Length);
        Assert.Equal(Folders.Length, await server.WaitForConnectionsAsync(Folders.Length, user.Name, TimeSpan.FromSeconds(30)));

        await using var other = await SandboxClient.ConnectAsync(server, user);
        var uid = await other.AppendAsync(SandboxFolders.Archive, new CorpusGenerator(72).CreateSmallMessage(0));
        await events.WaitUntilAsync(() => events.ArrivedUids().Count >= 1);
        Assert.Equal(new[] { uid.Id }, ArrivedIn(events, SandboxFolders.Archive));
        Assert.Null(events.Error);
    }

    [Fact]
    public async Task Watch_FolderListWithABadName_ThrowsAtCallTime()
    {
        await using var client = new ImapRxClient(new ImapAccountOptions("127.0.0.1", "user", ImapCredential.FromPassword("secret")));
        Assert.Throws<ArgumentException>(() => client.Watch(new[] { "INBOX", "bad\r\nname" }));
        Assert.Throws<ArgumentException>(() => client.Watch(Array.Empty<string>()));
    }

    private static int CountNotify(WireLog wire)
        => wire.ToString().Split('\n').Count(line => line.StartsWith("C: ", StringComparison.Ordinal) && line.Contains(" NOTIFY SET ", StringComparison.Ordinal));

    private static List<uint> ArrivedIn(WatchTests.EventLog events, string folder)
        => events.Of<MessagesArrived>().Where(a => a.Folder == folder).SelectMany(a => a.Uids).ToList();
}
