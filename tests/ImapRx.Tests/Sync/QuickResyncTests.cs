using System.Collections.Concurrent;
using System.Reactive.Linq;
using System.Text;
using ImapRx.Model;
using ImapRx.Pooling;
using ImapRx.Sandbox.Server;
using ImapRx.Sync;
using ImapRx.Tests.Server;
using ImapRx.Tests.Watching;
using MailKit;

namespace ImapRx.Tests.Sync;

/// <summary>
/// Sync and Watch on connections with QRESYNC enabled (Dovecot offers it; the default) and without it: the same
/// events either way, and the wire shows that with QRESYNC the EXAMINE alone carries expunges and flag changes.
/// </summary>
[Collection(DovecotWatchCollection.Name)]
public sealed class QuickResyncTests(DovecotFixture fixture)
{
    [DovecotTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Sync_ChangesByAnotherClient_SameEventsWithAndWithoutQuickResync(bool useQuickResync)
    {
        var user = await fixture.CreateUserAsync();
        await using var other = await SandboxClient.ConnectAsync(fixture.Server, user);
        var generator = new CorpusGenerator(60);
        var uids = await AppendSmallAsync(other, generator, 12);

        var wire = new ConcurrentDictionary<string, MemoryStream>();
        var pool = new ImapConnectionPool(new ImapPoolOptions { ProtocolLog = id => wire.GetOrAdd(id, _ => new KeptStream()) });
        var store = new InMemorySyncStateStore();
        var account = SandboxAccounts.For(fixture.Server, user);
        account.UseQuickResync = useQuickResync;
        await using var client = new ImapRxClient(account, pool);
        Assert.Equal(12, (await client.Sync("INBOX", store).ToList()).OfType<MessagesArrived>().Sum(a => a.Uids.Count));

        // Flags on two, one of which is then expunged with two others; two arrive; one arrives and goes at once.
        await other.AddFlagsAsync("INBOX", new[] { uids[1], uids[4] }, MessageFlags.Flagged);
        await other.ExpungeAsync("INBOX", new[] { uids[4], uids[7], uids[11] });
        var added = new[] { await other.AppendAsync("INBOX", generator.CreateSmallMessage(20)), await other.AppendAsync("INBOX", generator.CreateSmallMessage(21)) };
        var transient = await other.AppendAsync("INBOX", generator.CreateSmallMessage(22));
        await other.ExpungeAsync("INBOX", new[] { transient });
        var before = Text(wire).Length;

        var events = await client.Sync("INBOX", store).ToList();

        Assert.Equal(new[] { uids[4].Id, uids[7].Id, uids[11].Id }, Assert.Single(events.OfType<MessagesExpunged>()).Uids);
        var flags = Assert.Single(events.OfType<FlagsChanged>());
        Assert.Equal(uids[1].Id, flags.Uid);
        Assert.Contains("\\Flagged", flags.Flags);
        Assert.Equal(added.Select(u => u.Id), Assert.Single(events.OfType<MessagesArrived>()).Uids);
        Assert.Equal(new[] { typeof(MessagesExpunged), typeof(FlagsChanged), typeof(MessagesArrived) }, events.Select(e => e.GetType()));
        Assert.Empty(await client.Sync("INBOX", store).ToList());

        var commands = Text(wire)[before..];
        if (useQuickResync)
        {
            Assert.Contains("ENABLE QRESYNC", Text(wire));
            Assert.Contains("EXAMINE INBOX (QRESYNC (", commands);
            Assert.DoesNotContain("SEARCH ALL", commands);
            Assert.DoesNotContain("CHANGEDSINCE", commands);
        }
        else
        {
            Assert.DoesNotContain("ENABLE QRESYNC", Text(wire));
            Assert.DoesNotContain("(QRESYNC", Text(wire));
            Assert.Contains("CHANGEDSINCE", commands);
        }
    }

    [DovecotTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Watch_ExpungeByAnotherClient_EmittedWithAndWithoutQuickResync(bool useQuickResync)
    {
        var user = await fixture.CreateUserAsync();
        await using var other = await SandboxClient.ConnectAsync(fixture.Server, user);
        var generator = new CorpusGenerator(61);
        var uids = await AppendSmallAsync(other, generator, 6);

        var account = SandboxAccounts.For(fixture.Server, user);
        account.UseQuickResync = useQuickResync;
        await using var client = new ImapRxClient(account);
        var events = new WatchTests.EventLog();
        using var subscription = client.Watch("INBOX").Subscribe(events.Add);
        await events.WaitForAsync<WatchIdling>(1);

        await other.ExpungeAsync("INBOX", new[] { uids[1], uids[3], uids[4] });
        await events.WaitUntilAsync(() => events.Of<MessagesExpunged>().SelectMany(e => e.Uids).Count() >= 3);
        await other.AppendAsync("INBOX", generator.CreateSmallMessage(10));
        await events.WaitForAsync<MessagesArrived>(1);

        Assert.Equal(new[] { uids[1].Id, uids[3].Id, uids[4].Id }, events.Of<MessagesExpunged>().SelectMany(e => e.Uids).OrderBy(u => u));
        Assert.Equal(new[] { uids[5].Id + 1 }, events.ArrivedUids());
    }

    [DovecotTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Watch_ReconnectAfterChanges_GapFilledByQuickResyncWhereEnabled(bool useQuickResync)
    {
        var user = await fixture.CreateUserAsync();
        await using var other = await SandboxClient.ConnectAsync(fixture.Server, user);
        var generator = new CorpusGenerator(62);
        var uids = await AppendSmallAsync(other, generator, 4);
        await using var proxy = new ImapRx.Sandbox.Faults.FaultProxy(fixture.Server.PlainPort);
        var wire = new WireLog();
        await using var pool = new ImapConnectionPool(new ImapPoolOptions { ProtocolLog = wire.Open });
        var account = WatchFaultTests.ThroughProxy(proxy, user);
        account.UseQuickResync = useQuickResync;
        await using var client = new ImapRxClient(account, pool);
        var events = new WatchTests.EventLog();
        using var subscription = client.Watch("INBOX").Subscribe(events.Add, events.Fail);
        await events.WaitForAsync<WatchIdling>(1);

        proxy.RefuseConnections(true);
        proxy.CutAll();
        await events.WaitForAsync<WatchReconnecting>(1);
        await other.AddFlagsAsync("INBOX", new[] { uids[1] }, MessageFlags.Answered);
        await other.ExpungeAsync("INBOX", new[] { uids[2] });
        var arrived = await other.AppendAsync("INBOX", generator.CreateSmallMessage(9));
        proxy.RefuseConnections(false);
        var resumed = (await events.WaitForAsync<WatchResumed>(1))[0];

        Assert.Equal((1, 1, 1), (resumed.Arrived, resumed.Expunged, resumed.FlagChanges));
        Assert.Equal(uids[1].Id, Assert.Single(events.Of<FlagsChanged>()).Uid);
        Assert.Equal(new[] { uids[2].Id }, Assert.Single(events.Of<MessagesExpunged>()).Uids);
        Assert.Equal(new[] { arrived.Id }, events.ArrivedUids());
        var text = wire.ToString();
        if (useQuickResync)
        {
            Assert.Contains("EXAMINE INBOX (QRESYNC (", text);
            Assert.DoesNotContain("CHANGEDSINCE", text);
        }
        else
        {
            Assert.DoesNotContain("(QRESYNC", text);
            Assert.Contains("CHANGEDSINCE", text);
        }
    }

    private static async Task<List<UniqueId>> AppendSmallAsync(SandboxClient other, CorpusGenerator generator, int count)
    {
        var uids = new List<UniqueId>();
        for (var i = 0; i < count; i++)
        {
            uids.Add(await other.AppendAsync("INBOX", generator.CreateSmallMessage(i)));
        }

        return uids;
    }

    private static string Text(ConcurrentDictionary<string, MemoryStream> wire)
        => string.Concat(wire.OrderBy(w => w.Key, StringComparer.Ordinal).Select(w => Encoding.UTF8.GetString(w.Value.ToArray())));

    /// <summary>A memory stream that stays readable after the protocol logger disposes it.</summary>
    private sealed class KeptStream : MemoryStream
    {
        protected override void Dispose(bool disposing)
        {
        }
    }
}
