using System.Collections.Concurrent;
using System.Reactive.Linq;
using ImapRx.Model;
using ImapRx.Sandbox.Server;
using ImapRx.Tests.Server;
using ImapRx.Watching;
using MailKit;

namespace ImapRx.Tests.Watching;

[Collection(DovecotWatchCollection.Name)]
public sealed class WatchTests(DovecotFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [DovecotFact]
    public async Task Watch_AppendFromAnotherClient_EmitsArrivalWithSummary()
    {
        var user = await fixture.CreateUserAsync();
        await using var client = SandboxAccounts.Client(fixture.Server, user);
        var events = new EventLog();
        using var subscription = client.Watch("INBOX", new WatchOptions { IncludeSummaries = true }).Subscribe(events.Add);
        await events.WaitForAsync<WatchIdling>(1);

        await using var other = await SandboxClient.ConnectAsync(fixture.Server, user);
        var message = new CorpusGenerator(5).CreateSmallMessage(0);
        var uid = await other.AppendAsync("INBOX", message);

        var arrived = await events.WaitForAsync<MessagesArrived>(1);
        Assert.Equal(new[] { uid.Id }, arrived[0].Uids);
        Assert.Equal(message.Subject, Assert.Single(arrived[0].Messages!).Subject);
        Assert.Equal("INBOX", arrived[0].Folder);
        Assert.NotEqual(0u, arrived[0].UidValidity);
    }

    [DovecotFact]
    public async Task Watch_ExpungeAndFlagChangeFromAnotherClient_AreEmitted()
    {
        var user = await fixture.CreateUserAsync();
        await using var other = await SandboxClient.ConnectAsync(fixture.Server, user);
        var generator = new CorpusGenerator(6);
        var first = await other.AppendAsync("INBOX", generator.CreateSmallMessage(0));
        var second = await other.AppendAsync("INBOX", generator.CreateSmallMessage(1));
        await using var client = SandboxAccounts.Client(fixture.Server, user);
        var events = new EventLog();
        using var subscription = client.Watch("INBOX").Subscribe(events.Add);
        await events.WaitForAsync<WatchIdling>(1);

        await other.AddFlagsAsync("INBOX", new[] { second }, MessageFlags.Flagged);
        var flags = await events.WaitForAsync<FlagsChanged>(1);
        await other.ExpungeAsync("INBOX", new[] { first });
        var expunged = await events.WaitForAsync<MessagesExpunged>(1);

        Assert.Equal(second.Id, flags[0].Uid);
        Assert.Contains("\\Flagged", flags[0].Flags);
        Assert.Equal(new[] { first.Id }, expunged[0].Uids);
        Assert.Empty(events.Of<MessagesArrived>());
    }

    [DovecotFact]
    public async Task Watch_TwoSubscribers_ShareOneConnectionAndTheLastUnsubscribeClosesIt()
    {
        var user = await fixture.CreateUserAsync();
        await using var client = SandboxAccounts.Client(fixture.Server, user);
        var a = new EventLog();
        var b = new EventLog();

        var first = client.Watch("INBOX").Subscribe(a.Add);
        var second = client.Watch("INBOX").Subscribe(b.Add);
        await a.WaitForAsync<WatchIdling>(1);
        Assert.Equal(1, await fixture.Server.WaitForConnectionsAsync(1, user.Name, Patience));

        await using (var other = await SandboxClient.ConnectAsync(fixture.Server, user))
        {
            await other.AppendAsync("INBOX", new CorpusGenerator(8).CreateSmallMessage(0));
        }

        await a.WaitForAsync<MessagesArrived>(1);
        await b.WaitForAsync<MessagesArrived>(1);
        Assert.Equal(1, await fixture.Server.CountConnectionsAsync(user.Name));

        first.Dispose();
        Assert.Equal(1, await fixture.Server.CountConnectionsAsync(user.Name));
        second.Dispose();
        Assert.Equal(0, await fixture.Server.WaitForConnectionsAsync(0, user.Name, Patience));
    }

    [DovecotFact]
    public async Task Watch_LateSubscriber_LearnsTheCurrentStatusAtOnceThenSharesLiveEvents()
    {
        var user = await fixture.CreateUserAsync();
        await using var client = SandboxAccounts.Client(fixture.Server, user);
        var early = new EventLog();
        using var first = client.Watch("INBOX").Subscribe(early.Add);
        await early.WaitForAsync<WatchIdling>(1);

        // The default idle timeout is 15 minutes: without the status replay, waiting for WatchIdling here
        // would hang until the next IDLE restart.
        var status = await client.Watch("INBOX").Take(2).ToList().Timeout(Patience);
        Assert.Equal(new[] { typeof(WatchConnected), typeof(WatchIdling) }, status.Select(e => e.GetType()));
        Assert.Equal(early.Of<WatchConnected>().Single(), status[0]);

        var late = new EventLog();
        using var second = client.Watch("INBOX").Subscribe(late.Add);
        await using (var other = await SandboxClient.ConnectAsync(fixture.Server, user))
        {
            await other.AppendAsync("INBOX", new CorpusGenerator(8).CreateSmallMessage(0));
        }

        await early.WaitForAsync<MessagesArrived>(1);
        await late.WaitForAsync<MessagesArrived>(1);
        Assert.Equal(early.ArrivedUids(), late.ArrivedUids());
        Assert.Equal(new[] { typeof(WatchConnected), typeof(WatchIdling), typeof(MessagesArrived) }, late.All().Take(3).Select(e => e.GetType()));
        Assert.Equal(1, await fixture.Server.CountConnectionsAsync(user.Name));
    }

    [DovecotFact]
    public async Task Watch_ShortIdleTimeout_RunsThroughManyRestartsWithoutMissingAnything()
    {
        var user = await fixture.CreateUserAsync();
        await using var client = SandboxAccounts.Client(fixture.Server, user);
        var events = new EventLog();
        using var subscription = client.Watch("INBOX", new WatchOptions { IdleTimeout = TimeSpan.FromMilliseconds(300) }).Subscribe(events.Add);
        await events.WaitForAsync<WatchIdling>(1);

        await using var other = await SandboxClient.ConnectAsync(fixture.Server, user);
        var generator = new CorpusGenerator(9);
        var appended = new List<uint>();
        for (var i = 0; i < 12; i++)
        {
            appended.Add((await other.AppendAsync("INBOX", generator.CreateSmallMessage(i))).Id);
            await Task.Delay(150);
        }

        await events.WaitUntilAsync(() => events.ArrivedUids().Count >= 12);
        await Task.Delay(1000); // anything duplicated would show up by now
        Assert.Equal(appended, events.ArrivedUids());
        Assert.True(events.Of<WatchIdling>().Count >= 6, $"only {events.Of<WatchIdling>().Count} IDLE starts");
    }

    [DovecotFact]
    public async Task Watch_ConnectionKilledWhileAnotherClientAppends100_EveryMessageArrivesExactlyOnce()
    {
        var user = await fixture.CreateUserAsync();
        await using var client = SandboxAccounts.Client(fixture.Server, user);
        var events = new EventLog();
        using var subscription = client.Watch("INBOX").Subscribe(events.Add);
        await events.WaitForAsync<WatchIdling>(1);

        // Kill the watch's server process: the socket dies under MailKit mid-IDLE.
        await fixture.Server.RunDoveadmAsync(new[] { "kick", user.Name });
        await using var other = await SandboxClient.ConnectAsync(fixture.Server, user);
        var generator = new CorpusGenerator(10);
        var appended = new List<uint>();
        for (var i = 0; i < 100; i++)
        {
            appended.Add((await other.AppendAsync("INBOX", generator.CreateSmallMessage(i))).Id);
        }

        await events.WaitUntilAsync(() => events.ArrivedUids().Count >= 100);
        await Task.Delay(1500);
        Assert.Equal(appended, events.ArrivedUids());
        Assert.NotEmpty(events.Of<WatchReconnecting>());
        Assert.NotEmpty(events.Of<WatchResumed>());
    }

    [DovecotFact]
    public async Task Watch_FolderDeletedAndRecreated_EmitsUidValidityChanged()
    {
        var user = await fixture.CreateUserAsync();
        await using var other = await SandboxClient.ConnectAsync(fixture.Server, user);
        await other.AppendAsync(SandboxFolders.Archive, new CorpusGenerator(11).CreateSmallMessage(0));
        await using var client = SandboxAccounts.Client(fixture.Server, user);
        var events = new EventLog();
        using var subscription = client.Watch(SandboxFolders.Archive).Subscribe(events.Add);
        await events.WaitForAsync<WatchIdling>(1);
        var before = await other.GetUidValidityAsync(SandboxFolders.Archive);

        var after = await other.DeleteAndRecreateFolderAsync(SandboxFolders.Archive);
        await fixture.Server.RunDoveadmAsync(new[] { "kick", user.Name }); // make sure the watch reconnects promptly

        var changed = await events.WaitForAsync<UidValidityChanged>(1);
        Assert.Equal(before, changed[0].OldValue);
        Assert.Equal(after, changed[0].NewValue);
    }

    [Fact]
    public void WatchOptions_IdleTimeoutAbove29Minutes_Throws()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new WatchOptions { IdleTimeout = TimeSpan.FromMinutes(30) });
        Assert.Equal("IdleTimeout", error.ParamName);
    }

    /// <summary>Collects events from any thread and waits for them with a generous timeout.</summary>
    internal sealed class EventLog
    {
        private readonly ConcurrentQueue<MailboxEvent> _events = new();

        private Exception? _error;

        public void Add(MailboxEvent value) => _events.Enqueue(value);

        public void Fail(Exception error) => Volatile.Write(ref _error, error);

        /// <summary>The error the stream ended with, if it did.</summary>
        public Exception? Error => Volatile.Read(ref _error);

        public List<T> Of<T>() where T : MailboxEvent => _events.OfType<T>().ToList();

        public List<MailboxEvent> All() => _events.ToList();

        public List<uint> ArrivedUids() => Of<MessagesArrived>().SelectMany(e => e.Uids).ToList();

        public async Task<List<T>> WaitForAsync<T>(int count) where T : MailboxEvent
        {
            await WaitUntilAsync(() => Of<T>().Count >= count);
            return Of<T>();
        }

        public async Task WaitUntilAsync(Func<bool> condition)
        {
            var deadline = DateTime.UtcNow + Patience;
            while (!condition())
            {
                Assert.True(DateTime.UtcNow < deadline, "Timed out; events so far: " + string.Join(", ", _events.Select(e => e.GetType().Name)) + (Error is null ? "" : "; stream failed: " + Error));
                await Task.Delay(25);
            }
        }
    }
}
