using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using ImapRx.Fetching;
using ImapRx.Sandbox.Faults;
using ImapRx.Sandbox.Server;
using ImapRx.Tests.Server;

namespace ImapRx.Tests.Operations;

/// <summary>The native reader under network faults, through the fault proxy in front of the real Dovecot.</summary>
[Collection(DovecotCollection.Name)]
public sealed class NativeFetchFaultTests(DovecotFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
    private static readonly FetchOptions Native = new() { UseNativeReader = true, BatchSize = 50 };

    [DovecotFact]
    public async Task MessageBatches_CutMidUidFetch_ResumesAfterTheLastUidDeliveredEachMessageOnceInOrder()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, SandboxFolders.Inbox, new CorpusGenerator(43).Generate(140));
        await using var proxy = new FaultProxy(fixture.Server.PlainPort);
        await using var client = new ImapRxClient(NativeFetchSessionLimitTests.ThroughProxy(proxy, user, maxConnections: 2));
        var cut = proxy.CutOnPattern(Direction.ServerToClient, "* 75 FETCH");

        var batches = await client.MessageBatches(SandboxFolders.Inbox, Native)
            .Select(b => b.Select(m => m.Uid).ToList()).ToList().ToTask().WaitAsync(Patience);

        // The first batch was delivered before the cut; had the fetch started over, its UIDs would come twice.
        Assert.Equal(1, cut.FiredCount);
        Assert.Equal(Enumerable.Range(1, 140).Select(i => (uint)i), batches.SelectMany(b => b));
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (uint)i), batches[0]);
        Assert.Equal(0, client.Pool.GetStatistics(client.Account).LeasesInUse);
    }

    [DovecotTheory]
    [InlineData("W1 CAPABILITY")] // before the credentials: a cut there is retried (after them it is final)
    [InlineData("W5 LIST")] // the bulk session plans the fetch: LIST, EXAMINE, UID SEARCH
    [InlineData("W6 EXAMINE")]
    [InlineData("W7 UID SEARCH")]
    public async Task Messages_CutDuringTheBulkSessionsLoginOrPlan_Retried(string command)
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, SandboxFolders.Inbox, new CorpusGenerator(44).Generate(60));
        await using var proxy = new FaultProxy(fixture.Server.PlainPort);
        await using var client = new ImapRxClient(NativeFetchSessionLimitTests.ThroughProxy(proxy, user, maxConnections: 2));
        var cut = proxy.CutOnPattern(Direction.ClientToServer, command);

        var uids = await client.Messages(SandboxFolders.Inbox, Native).Select(m => m.Uid).ToList().ToTask().WaitAsync(Patience);

        Assert.Equal(1, cut.FiredCount);
        Assert.Equal(Enumerable.Range(1, 60).Select(i => (uint)i), uids);
        Assert.Equal(0, client.Pool.GetStatistics(client.Account).LeasesInUse);
    }

    [DovecotFact]
    public async Task Messages_DisposedMidFetch_BulkSocketClosedAndNoBrokenConnectionPooled()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, SandboxFolders.Inbox, new CorpusGenerator(45).Generate(120));
        await using var proxy = new FaultProxy(fixture.Server.PlainPort);
        await using var client = new ImapRxClient(NativeFetchSessionLimitTests.ThroughProxy(proxy, user, maxConnections: 1));

        // The second batch's answer is held far longer than the test waits: only the dispose can end the session.
        var hold = proxy.HoldOnPattern(Direction.ServerToClient, "* 60 FETCH", TimeSpan.FromMinutes(5));
        var received = new List<uint>();
        var subscription = client.Messages(SandboxFolders.Inbox, Native).Subscribe(m => { lock (received) { received.Add(m.Uid); } });
        await hold.WhenFired.WaitAsync(Patience);
        Assert.Equal(1, await fixture.Server.WaitForConnectionsAsync(1, user.Name, Patience)); // the bulk session alone (pool of one)

        subscription.Dispose();

        Assert.Equal(0, await fixture.Server.WaitForConnectionsAsync(0, user.Name, TimeSpan.FromSeconds(30)));
        var statistics = client.Pool.GetStatistics(client.Account);
        Assert.Equal(0, statistics.LeasesInUse);
        Assert.Equal(0, statistics.OpenConnections);
        lock (received)
        {
            Assert.Equal(Enumerable.Range(1, 50).Select(i => (uint)i), received);
        }

        proxy.ClearFaults();
        await client.Pool.PingAsync(client.Account).WaitAsync(Patience); // whatever the pool holds answers
        var again = await client.Messages(SandboxFolders.Inbox, Native).Select(m => m.Uid).ToList().ToTask().WaitAsync(Patience);
        Assert.Equal(Enumerable.Range(1, 120).Select(i => (uint)i), again);
    }
    [DovecotFact]
    public async Task Messages_ServerWithoutEsearch_PlannedWithPlainUidSearch()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, SandboxFolders.Inbox, new CorpusGenerator(46).Generate(40));
        await using var proxy = new FaultProxy(fixture.Server.PlainPort);

        // A server without ESEARCH, as far as the client can tell: the bulk session asks "UID SEARCH UID 11:*" and
        // reads the plain "* SEARCH" answer.
        proxy.Rewrite(Direction.ServerToClient, " ESEARCH", string.Empty);
        var plain = proxy.Rewrite(Direction.ClientToServer, "W7 UID SEARCH UID 11:*", "W7 UID SEARCH UID 11:*");
        await using var client = new ImapRxClient(NativeFetchSessionLimitTests.ThroughProxy(proxy, user, maxConnections: 2));

        var native = await client.GetMessagesAsync(SandboxFolders.Inbox, new FetchOptions { UseNativeReader = true, SinceUid = 10, BatchSize = 7 }).WaitAsync(Patience);
        var mailKit = await client.GetMessagesAsync(SandboxFolders.Inbox, new FetchOptions { SinceUid = 10, BatchSize = 7 }).WaitAsync(Patience);

        Assert.Equal(1, plain.RewrittenCount);
        Assert.Equal(Enumerable.Range(11, 30).Select(i => (uint)i), native.Select(m => m.Uid));
        ImapRx.Tests.Wire.InfoAssert.Equal(mailKit.ToList(), native.ToList());
    }

    [DovecotFact]
    public async Task Messages_SearchAnswersMoreUidsThanTheFolderHolds_PlannedOnMailKitInstead()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, SandboxFolders.Inbox, new CorpusGenerator(47).Generate(40));
        await using var proxy = new FaultProxy(fixture.Server.PlainPort);

        // Only the bulk session's answer (its tag): 4 billion UIDs must not be expanded into a list.
        var inflated = proxy.Rewrite(Direction.ServerToClient, "(TAG \"W7\") UID ALL 1:40", "(TAG \"W7\") UID ALL 1:4294967295");
        await using var client = new ImapRxClient(NativeFetchSessionLimitTests.ThroughProxy(proxy, user, maxConnections: 2));

        var uids = await client.Messages(SandboxFolders.Inbox, Native).Select(m => m.Uid).ToList().ToTask().WaitAsync(Patience);

        Assert.Equal(1, inflated.RewrittenCount);
        Assert.Equal(Enumerable.Range(1, 40).Select(i => (uint)i), uids);
        Assert.Equal(0, client.Pool.GetStatistics(client.Account).LeasesInUse);
    }
    [DovecotFact]
    public async Task Messages_ServerStallsForGood_FailsWithAConnectionErrorAfterItsRetriesNotACancellation()
    {
        // Found running the suite with the native reader on by default: the retry's new bulk session met the stall
        // while opening, and its deadline came out as an OperationCanceledException nobody asked for.
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, SandboxFolders.Inbox, new CorpusGenerator(48).GenerateSmall(300));
        await using var proxy = new FaultProxy(fixture.Server.PlainPort);
        var account = NativeFetchSessionLimitTests.ThroughProxy(proxy, user, maxConnections: 2);
        account.Timeout = TimeSpan.FromSeconds(1);
        account.MaxRetries = 1;
        await using var client = new ImapRxClient(account);
        var delivered = 0;

        var stream = client.Messages(SandboxFolders.Inbox, new FetchOptions { UseNativeReader = true, BatchSize = 100 }).Do(_ =>
        {
            if (Interlocked.Increment(ref delivered) == 150)
            {
                proxy.Stall(Direction.ServerToClient);
            }
        });
        var error = await Assert.ThrowsAnyAsync<Exception>(() => stream.LastAsync().ToTask().WaitAsync(Patience));

        Assert.True(error is ImapConnectionException or ImapConnectException, error.ToString());
        Assert.True(delivered < 300, "a stalled fetch cannot have delivered everything");
        Assert.Equal(0, client.Pool.GetStatistics(client.Account).LeasesInUse);
    }
}
