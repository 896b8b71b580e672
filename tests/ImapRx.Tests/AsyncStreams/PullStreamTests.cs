using ImapRx.Configuration;
using ImapRx.Fetching;
using ImapRx.Model;
using ImapRx.Sandbox.Faults;
using ImapRx.Sandbox.Server;
using ImapRx.Search;
using ImapRx.Tests.Server;
using MailKit.Search;

namespace ImapRx.Tests.AsyncStreams;

/// <summary>
/// The <c>await foreach</c> forms against the sandbox Dovecot, through the fault proxy so the bytes the server sent
/// can be counted: the consumer paces the fetch, leaving the loop returns a healthy connection, cancellation works.
/// </summary>
[Collection(DovecotCollection.Name)]
public sealed class PullStreamTests(DovecotFixture fixture)
{
    [DovecotFact]
    public async Task EnumerateMessageContentsAsync_ConsumerPausesMidFetch_ServerSendsAtMostOneMoreBatchThenNothing()
    {
        const int count = 2_000;
        const int batchSize = 100;
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, "INBOX", new CorpusGenerator(180) { MalformedInterval = 0 }.GenerateSmall(count));
        await using var proxy = new FaultProxy(fixture.Server.PlainPort);
        await using var client = new ImapRxClient(ThroughProxy(proxy, user));
        var uids = new List<uint>();
        long atPause = 0, afterPause = 0, afterLongerPause = 0;

        await foreach (var message in client.EnumerateMessageContentsAsync("INBOX", new FetchOptions { BatchSize = batchSize }))
        {
            uids.Add(message.Uid);
            if (uids.Count == (2 * batchSize) + 1)
            {
                atPause = proxy.BytesFromServer;
                afterPause = await QuietBytesAsync(proxy);
                await Task.Delay(TimeSpan.FromMilliseconds(500));
                afterLongerPause = proxy.BytesFromServer;
            }
        }

        var perBatch = proxy.BytesFromServer / (count / batchSize);
        Assert.Equal(Enumerable.Range(1, count).Select(i => (uint)i), uids);
        Assert.True(afterPause - atPause <= 2 * perBatch, $"the server sent {afterPause - atPause:N0} B while the consumer paused; a batch is about {perBatch:N0} B");
        Assert.Equal(afterPause, afterLongerPause);
        Assert.Equal(0, client.Pool.GetStatistics(client.Account).LeasesInUse);
    }

    [DovecotFact]
    public async Task EnumerateMessagesAsync_BreakWhileTheFetchWaits_LeaseBackInThePoolWithItsConnectionWhenTheLoopEnds()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, "INBOX", new CorpusGenerator(181) { MalformedInterval = 0 }.GenerateSmall(1_000));
        await using var proxy = new FaultProxy(fixture.Server.PlainPort);
        await using var client = new ImapRxClient(ThroughProxy(proxy, user));
        var read = 0;
        long bytesAtBreak = 0;

        await foreach (var message in client.EnumerateMessagesAsync("INBOX", new FetchOptions { BatchSize = 100 }))
        {
            if (++read == 150)
            {
                bytesAtBreak = await QuietBytesAsync(proxy); // the fetch has parked one batch ahead
                break;
            }
        }

        var statistics = client.Pool.GetStatistics(client.Account);
        Assert.Equal(0, statistics.LeasesInUse);
        Assert.Equal(1, statistics.IdleConnections); // kept: it was between commands, not cut mid-FETCH
        var again = await client.GetMessagesAsync("INBOX", new FetchOptions { Limit = 5 });
        Assert.Equal(5, again.Count);
        Assert.Equal(1, proxy.TotalConnections); // the same connection served the next fetch
        Assert.True(proxy.BytesFromServer > bytesAtBreak);
    }

    [DovecotFact]
    public async Task EnumerateMessagesAsync_CancelledThroughWithCancellation_ThrowsAndReturnsTheLease()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, "INBOX", new CorpusGenerator(182) { MalformedInterval = 0 }.GenerateSmall(600));
        await using var client = SandboxAccounts.Client(fixture.Server, user);
        using var cancellation = new CancellationTokenSource();
        var read = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var message in client.EnumerateMessagesAsync("INBOX", new FetchOptions { BatchSize = 100 }).WithCancellation(cancellation.Token))
            {
                if (++read == 150)
                {
                    cancellation.Cancel();
                }
            }
        });

        Assert.Equal(150, read);
        await WaitUntilAsync(() => client.Pool.GetStatistics(client.Account).LeasesInUse == 0);
    }

    [DovecotFact]
    public async Task EnumerateMessagesAsync_ToTheEnd_SameMessagesAsTheObservableInUidOrder()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, "INBOX", new CorpusGenerator(183) { MalformedInterval = 0 }.GenerateSmall(250));
        await using var client = SandboxAccounts.Client(fixture.Server, user);
        var options = new FetchOptions { BatchSize = 40, SinceUid = 10 };
        var pulled = new List<uint>();
        using var cancellation = new CancellationTokenSource();
        var ct = cancellation.Token;

        // begin-snippet: await-foreach
        await foreach (var message in client.EnumerateMessagesAsync("INBOX", new FetchOptions { BatchSize = 40, SinceUid = 10 }, ct))
        {
            pulled.Add(message.Uid); // the next batch is fetched once this one is taken: the server waits for you
        }
        // end-snippet

        var listed = await client.GetMessagesAsync("INBOX", options);
        Assert.Equal(listed.Select(m => m.Uid), pulled);
        Assert.Equal(Enumerable.Range(11, 240).Select(i => (uint)i), pulled);
        Assert.Equal(0, client.Pool.GetStatistics(client.Account).LeasesInUse);
    }

    [DovecotFact]
    public async Task EnumerateMessagesAsync_ParallelAndNativePaths_PacedAndComplete()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, "INBOX", new CorpusGenerator(184) { MalformedInterval = 0 }.GenerateSmall(300));
        await using var client = SandboxAccounts.Client(fixture.Server, user, maxConnections: 4);

        foreach (var options in new[] { new FetchOptions { BatchSize = 50, MaxParallelism = 3 }, new FetchOptions { BatchSize = 50, UseNativeReader = true } })
        {
            var pulled = new List<uint>();
            await foreach (var message in client.EnumerateMessagesAsync("INBOX", options))
            {
                pulled.Add(message.Uid);
            }

            Assert.Equal(Enumerable.Range(1, 300).Select(i => (uint)i), pulled);
            var read = 0;
            await foreach (var message in client.EnumerateMessagesAsync("INBOX", options))
            {
                if (++read == 75)
                {
                    break;
                }
            }

            await WaitUntilAsync(() => client.Pool.GetStatistics(client.Account).LeasesInUse == 0);
        }
    }

    [DovecotFact]
    public async Task EnumerateSearchAsync_StringAndQuery_SameUidsAsSearchAsync_MalformedStringThrowsAtCallTime()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, "INBOX", new CorpusGenerator(185) { MalformedInterval = 0 }.GenerateSmall(30));
        await using var client = SandboxAccounts.Client(fixture.Server, user);

        var byString = new List<uint>();
        await foreach (var uid in client.EnumerateSearchAsync("INBOX", "UID 5:9"))
        {
            byString.Add(uid);
        }

        var byQuery = new List<uint>();
        await foreach (var uid in client.EnumerateSearchAsync("INBOX", SearchQuery.All))
        {
            byQuery.Add(uid);
        }

        Assert.Equal(await client.SearchAsync("INBOX", "UID 5:9"), byString);
        Assert.Equal(new uint[] { 5, 6, 7, 8, 9 }, byString);
        Assert.Equal(Enumerable.Range(1, 30).Select(i => (uint)i), byQuery);
        Assert.Throws<ImapSearchSyntaxException>(() => client.EnumerateSearchAsync("INBOX", "FROM"));
        Assert.Throws<ArgumentException>(() => client.EnumerateMessagesAsync(""));
    }

    [DovecotFact]
    public async Task EnumerateWatchAsync_MessageAppendedWhileWatching_ArrivesThenLeavingClosesTheWatchConnection()
    {
        var user = await fixture.CreateUserAsync();
        await using var client = SandboxAccounts.Client(fixture.Server, user);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // a hang, not a slow run, trips this
        var message = new MimeKit.MimeMessage();
        message.From.Add(new MimeKit.MailboxAddress("Ann", "ann@example.com"));
        message.Subject = "watched";
        message.Body = new MimeKit.TextPart("plain") { Text = "hello" };
        uint? appended = null;
        var arrivedSeen = false;

        await foreach (var change in client.EnumerateWatchAsync("INBOX", cancellationToken: timeout.Token))
        {
            if (change is WatchIdling && appended is null)
            {
                appended = await client.AppendAsync("INBOX", message, cancellationToken: timeout.Token);
            }
            else if (change is MessagesArrived arrived && appended is { } uid && arrived.Uids.Contains(uid))
            {
                arrivedSeen = true;
                break;
            }
        }

        Assert.True(arrivedSeen);
        await WaitUntilAsync(() => client.Pool.GetStatistics(client.Account) is { LeasesInUse: 0, OpenConnections: 1 });
    }

    internal static ImapAccountOptions ThroughProxy(FaultProxy proxy, SandboxUser user)
        => new(proxy.Host, user.Name, ImapCredential.FromPassword(user.Password))
        {
            Encryption = ImapEncryption.None,
            Port = proxy.Port,
            Timeout = TimeSpan.FromSeconds(30),
            RetryDelay = TimeSpan.FromMilliseconds(100),
        };

    /// <summary>The server's byte count once it has stopped growing (unchanged for half a second).</summary>
    internal static async Task<long> QuietBytesAsync(FaultProxy proxy)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var last = proxy.BytesFromServer;
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            var now = proxy.BytesFromServer;
            if (now == last)
            {
                return now;
            }

            last = now;
        }

        throw new TimeoutException("the server kept sending while the consumer did not read");
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 30 s");
            await Task.Delay(20);
        }
    }
}
