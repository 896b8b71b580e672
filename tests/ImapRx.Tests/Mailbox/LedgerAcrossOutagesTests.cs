using System.Reactive.Linq;
using ImapRx.Model;
using ImapRx.Sandbox.Faults;
using ImapRx.Sandbox.Server;
using ImapRx.Sync;
using ImapRx.Tests.Server;
using ImapRx.Tests.Watching;
using ImapRx.Watching;
using MailKit;

namespace ImapRx.Tests.Mailbox;

/// <summary>
/// Issue 20: after a reconnect (or between syncs) the folder ledger reports a flag change only for a message that
/// existed before and whose flags really differ from what was last reported; on servers with QRESYNC, with
/// CONDSTORE only and with neither, through the fault proxy, for Watch, NOTIFY watches and Sync.
/// </summary>
[Collection(DovecotWatchCollection.Name)]
public sealed class LedgerAcrossOutagesTests(DovecotFixture fixture, ChangeSourceServers servers) : IClassFixture<ChangeSourceServers>
{
    private static readonly string[] Folders = { "INBOX", SandboxFolders.Archive };

    [DovecotTheory]
    [InlineData(ServerKind.QuickResync)]
    [InlineData(ServerKind.CondStoreOnly)]
    [InlineData(ServerKind.Neither)]
    public async Task Watch_AppendsOnlyWithCuts_NoFlagsChanged(ServerKind kind)
    {
        await using var rig = await Rig.StartAsync(await servers.GetAsync(kind, fixture), seed: 200, oldMessages: 1);
        var (other, generator, proxy, events) = (rig.Other, rig.Generator, rig.Proxy, rig.Events);
        var appended = rig.Old.Select(u => u.Id).ToList();
        using var subscription = rig.Client.Watch("INBOX").Subscribe(events.Add, events.Fail);
        await events.WaitForAsync<WatchIdling>(1);

        for (var round = 1; round <= 3; round++)
        {
            // Live arrivals move the server's MODSEQ past what the watch learned when it connected...
            for (var i = 0; i < 4; i++)
            {
                appended.Add((await other.AppendAsync("INBOX", generator.CreateSmallMessage(10 * round + i))).Id);
            }

            await events.WaitUntilAsync(() => events.ArrivedUids().Count >= appended.Count - 1);

            // ...then an outage with more arrivals; the gap fill must not take any of them for a flag change.
            proxy.RefuseConnections(true);
            proxy.CutAll();
            await events.WaitForAsync<WatchReconnecting>(round);
            appended.Add((await other.AppendAsync("INBOX", generator.CreateSmallMessage(10 * round + 5))).Id);
            proxy.RefuseConnections(false);
            await events.WaitForAsync<WatchResumed>(round);
        }

        await Task.Delay(1000); // a late false event would show up by now
        Assert.Equal(appended.Skip(1), events.ArrivedUids());
        Assert.Empty(events.Of<FlagsChanged>());
        Assert.All(events.Of<WatchResumed>(), r => Assert.Equal(0, r.FlagChanges));
        Assert.Null(events.Error);
    }

    [DovecotTheory]
    [InlineData(ServerKind.QuickResync)]
    [InlineData(ServerKind.CondStoreOnly)]
    [InlineData(ServerKind.Neither)]
    public async Task Watch_FlagChangesDuringOutage_ExactlyThoseOnceEach(ServerKind kind)
    {
        await using var rig = await Rig.StartAsync(await servers.GetAsync(kind, fixture), seed: 201, oldMessages: 5);
        var (other, generator, proxy, events, old) = (rig.Other, rig.Generator, rig.Proxy, rig.Events, rig.Old);
        using var subscription = rig.Client.Watch("INBOX", new WatchOptions { IncludeSummaries = true }).Subscribe(events.Add, events.Fail);
        await events.WaitForAsync<WatchIdling>(1);
        var live = new[] { await other.AppendAsync("INBOX", generator.CreateSmallMessage(6)), await other.AppendAsync("INBOX", generator.CreateSmallMessage(7)) };
        await events.WaitUntilAsync(() => events.ArrivedUids().Count >= 2);

        proxy.RefuseConnections(true);
        proxy.CutAll();
        await events.WaitForAsync<WatchReconnecting>(1);
        var expected = await ChangeKnownSetAsync(other, old, live);
        var during = await other.AppendAsync("INBOX", generator.CreateSmallMessage(8));
        await other.AddFlagsAsync("INBOX", new[] { during }, MessageFlags.Deleted); // an arrival, not a change
        proxy.RefuseConnections(false);
        var resumed = (await events.WaitForAsync<WatchResumed>(1))[0];

        // Another outage with nothing changed in between must report nothing again.
        proxy.CutAll();
        await events.WaitForAsync<WatchResumed>(2);
        await Task.Delay(1000);

        AssertChanges(expected, events.Of<FlagsChanged>());
        Assert.Equal(expected.Count, resumed.FlagChanges);
        Assert.Equal(live.Append(during).Select(u => u.Id), events.ArrivedUids());
        var arrival = events.Of<MessagesArrived>().Last().Messages!.Single();
        Assert.Contains("\\Deleted", arrival.Flags);
        Assert.Null(events.Error);
    }

    [DovecotTheory]
    [InlineData(ServerKind.QuickResync)]
    [InlineData(ServerKind.CondStoreOnly)]
    [InlineData(ServerKind.Neither)]
    public async Task WatchNotify_AppendsWithCutsThenKnownFlagChanges_ExactlyThoseOnceEach(ServerKind kind)
    {
        await using var rig = await Rig.StartAsync(await servers.GetAsync(kind, fixture), seed: 202, oldMessages: 5);
        var (other, generator, proxy, events, old) = (rig.Other, rig.Generator, rig.Proxy, rig.Events, rig.Old);
        using var subscription = rig.Client.Watch(Folders).Subscribe(events.Add, events.Fail);
        await events.WaitUntilAsync(() => events.Of<WatchIdling>().Count >= Folders.Length);

        var appended = new List<uint>();
        for (var round = 1; round <= 2; round++)
        {
            foreach (var folder in Folders)
            {
                appended.Add((await other.AppendAsync(folder, generator.CreateSmallMessage(10 * round))).Id);
            }

            await events.WaitUntilAsync(() => events.ArrivedUids().Count >= appended.Count);
            proxy.CutAll();
            await events.WaitUntilAsync(() => events.Of<WatchResumed>().Count >= round * Folders.Length);
        }

        Assert.Empty(events.Of<FlagsChanged>());
        var live = new[] { await other.AppendAsync("INBOX", generator.CreateSmallMessage(30)), await other.AppendAsync("INBOX", generator.CreateSmallMessage(31)) };
        await events.WaitUntilAsync(() => events.ArrivedUids().Count >= appended.Count + 2);
        proxy.RefuseConnections(true);
        proxy.CutAll();
        await events.WaitUntilAsync(() => events.Of<WatchReconnecting>().Count >= 3 * Folders.Length);
        var expected = await ChangeKnownSetAsync(other, old, live);
        proxy.RefuseConnections(false);
        await events.WaitUntilAsync(() => events.Of<WatchResumed>().Count >= 3 * Folders.Length);
        await Task.Delay(1000);

        AssertChanges(expected, events.Of<FlagsChanged>());
        Assert.All(events.Of<FlagsChanged>(), c => Assert.Equal("INBOX", c.Folder));
        Assert.Null(events.Error);
    }

    [DovecotTheory]
    [InlineData(ServerKind.QuickResync)]
    [InlineData(ServerKind.CondStoreOnly)]
    [InlineData(ServerKind.Neither)]
    public async Task Sync_AppendsThenKnownFlagChangesThroughCuts_ExactlyThoseOnceEach(ServerKind kind)
    {
        await using var rig = await Rig.StartAsync(await servers.GetAsync(kind, fixture), seed: 203, oldMessages: 5);
        var (other, generator, proxy, client, old) = (rig.Other, rig.Generator, rig.Proxy, rig.Client, rig.Old);
        var store = new InMemorySyncStateStore();
        Assert.Equal(old.Select(u => u.Id), (await client.Sync("INBOX", store).ToList()).OfType<MessagesArrived>().SelectMany(a => a.Uids));

        // Appends only, with the pooled connection cut between runs: no flag change, ever. Sync is cold and saves its
        // checkpoint only at the end, so a run that fails on the dead connection is simply run again.
        var live = new List<UniqueId>();
        for (var round = 0; round < 3; round++)
        {
            live.Add(await other.AppendAsync("INBOX", generator.CreateSmallMessage(10 + round)));
            proxy.CutAll();
            var events = await client.Sync("INBOX", store).Retry(3).ToList();
            Assert.Equal(new[] { live[^1].Id }, events.OfType<MessagesArrived>().SelectMany(a => a.Uids));
            Assert.Empty(events.OfType<FlagsChanged>());
        }

        var expected = await ChangeKnownSetAsync(other, old, live);
        var arrived = await other.AppendAsync("INBOX", generator.CreateSmallMessage(20));
        await other.AddFlagsAsync("INBOX", new[] { arrived }, MessageFlags.Answered);
        proxy.CutAll();
        var changed = await client.Sync("INBOX", store).Retry(3).ToList();
        AssertChanges(expected, changed.OfType<FlagsChanged>().ToList());
        Assert.Equal(new[] { arrived.Id }, changed.OfType<MessagesArrived>().SelectMany(a => a.Uids));
        Assert.Empty(await client.Sync("INBOX", store).ToList());
    }

    /// <summary>
    /// Answered on two old messages and a live arrival, Draft on another old one, and a STORE that changes nothing
    /// (Answered again on a message that has it): returns the UIDs that really changed, with a flag each now has.
    /// (Small corpus messages come with Seen and Flagged only, never Answered or Draft.)
    /// </summary>
    private static async Task<List<(uint Uid, string Flag)>> ChangeKnownSetAsync(SandboxClient other, List<UniqueId> old, IReadOnlyList<UniqueId> live)
    {
        await other.AddFlagsAsync("INBOX", new[] { old[3] }, MessageFlags.Answered);
        await other.AddFlagsAsync("INBOX", new[] { old[1], old[3], live[0] }, MessageFlags.Answered);
        await other.AddFlagsAsync("INBOX", new[] { old[2] }, MessageFlags.Draft);
        return new List<(uint, string)> { (old[1].Id, "\\Answered"), (old[2].Id, "\\Draft"), (old[3].Id, "\\Answered"), (live[0].Id, "\\Answered") };
    }

    private static void AssertChanges(List<(uint Uid, string Flag)> expected, List<FlagsChanged> changes)
    {
        var described = string.Join("; ", changes.Select(c => c.ToString()));
        Assert.True(expected.Select(e => e.Uid).SequenceEqual(changes.Select(c => c.Uid).OrderBy(u => u)), described);
        foreach (var (uid, flag) in expected)
        {
            Assert.Contains(flag, changes.Single(c => c.Uid == uid).Flags);
        }
    }

    /// <summary>A user with some old messages in INBOX, another client to change them, and a client through the fault proxy.</summary>
    private sealed class Rig : IAsyncDisposable
    {
        private Rig(SandboxClient other, CorpusGenerator generator, List<UniqueId> old, FaultProxy proxy, ImapRxClient client)
            => (Other, Generator, Old, Proxy, Client) = (other, generator, old, proxy, client);

        public SandboxClient Other { get; }

        public CorpusGenerator Generator { get; }

        public List<UniqueId> Old { get; }

        public FaultProxy Proxy { get; }

        public ImapRxClient Client { get; }

        public WatchTests.EventLog Events { get; } = new();

        public static async Task<Rig> StartAsync(DovecotServer server, int seed, int oldMessages)
        {
            var user = await server.CreateUserAsync();
            var other = await SandboxClient.ConnectAsync(server, user);
            var generator = new CorpusGenerator(seed);
            var old = new List<UniqueId>();
            for (var i = 1; i <= oldMessages; i++)
            {
                old.Add(await other.AppendAsync("INBOX", generator.CreateSmallMessage(i)));
            }

            var proxy = new FaultProxy(server.PlainPort);
            return new Rig(other, generator, old, proxy, new ImapRxClient(WatchFaultTests.ThroughProxy(proxy, user)));
        }

        public async ValueTask DisposeAsync()
        {
            await Client.DisposeAsync();
            await Proxy.DisposeAsync();
            await Other.DisposeAsync();
        }
    }
}
