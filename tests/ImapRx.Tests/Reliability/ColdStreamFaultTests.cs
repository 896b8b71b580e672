using System.Collections.Concurrent;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using ImapRx.Configuration;
using ImapRx.Fetching;
using ImapRx.Operations;
using ImapRx.Pooling;
using ImapRx.Sandbox.Faults;
using ImapRx.Sandbox.Server;
using ImapRx.Tests.Server;
using Microsoft.Extensions.Logging;

namespace ImapRx.Tests.Reliability;

/// <summary>
/// Cold streams through the fault proxy: a stalled server is noticed within the timeout rather than waited on
/// forever, and a server that refuses for a while is waited out with backoff. Never a partial result called complete.
/// </summary>
[Collection(DovecotWatchCollection.Name)]
public sealed class ColdStreamFaultTests(DovecotFixture fixture)
{
    private const int MessageCount = 2_000;

    [DovecotFact]
    public async Task MessageBatches_ServerStallsMidFetchThenRecovers_StallDetectedAndEveryMessageDeliveredOnce()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, "INBOX", new CorpusGenerator(96).GenerateSmall(MessageCount));
        await using var proxy = new FaultProxy(fixture.Server.PlainPort);
        await using var client = new ImapRxClient(ThroughProxy(proxy, user, timeout: TimeSpan.FromSeconds(2), maxRetries: 3));
        var batches = 0;

        var uids = await client.MessageBatches("INBOX", new FetchOptions { BatchSize = 100 })
            .Do(batch =>
            {
                if (Interlocked.Increment(ref batches) == 3)
                {
                    // Silence from the server mid-fetch; it comes back for new connections a moment later.
                    proxy.Stall(Direction.ServerToClient);
                    _ = Task.Delay(TimeSpan.FromSeconds(3)).ContinueWith(_ => proxy.ClearFaults(), TaskScheduler.Default);
                }
            })
            .SelectMany(b => b)
            .Select(m => m.Uid)
            .ToList()
            .ToTask()
            .WaitAsync(TimeSpan.FromSeconds(120)); // a hang, not a slow run, would trip this

        Assert.Equal(Enumerable.Range(1, MessageCount).Select(i => (uint)i), uids);
        Assert.True(proxy.CountEvents(FaultEventKind.StallHeld) >= 1, "the stall never took effect");
        Assert.True(proxy.TotalConnections >= 2, "the stalled connection was never given up");
        ReliabilityFigures.Add("faults injected: stalls", 1);
        ReliabilityFigures.Add("messages checked (faults)", uids.Count);
    }

    [DovecotFact]
    public async Task Messages_ServerStallsForGood_FailsWithATimeoutAfterItsRetries_NeverHangsOrCompletesShort()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, "INBOX", new CorpusGenerator(97).GenerateSmall(MessageCount));
        await using var proxy = new FaultProxy(fixture.Server.PlainPort);
        await using var client = new ImapRxClient(ThroughProxy(proxy, user, timeout: TimeSpan.FromSeconds(1), maxRetries: 1));
        var delivered = 0;

        var stream = client.Messages("INBOX", new FetchOptions { BatchSize = 100 }).Do(_ =>
        {
            if (Interlocked.Increment(ref delivered) == 250)
            {
                proxy.Stall(Direction.ServerToClient);
            }
        });
        var error = await Assert.ThrowsAnyAsync<Exception>(() => stream.LastAsync().ToTask().WaitAsync(TimeSpan.FromSeconds(120)));

        Assert.True(error is ImapConnectionException or ImapConnectException, error.ToString());
        Assert.True(delivered < MessageCount, "a stalled fetch cannot have delivered everything");
        Assert.Equal(0, client.Pool.GetStatistics(client.Account).LeasesInUse);
        ReliabilityFigures.Add("faults injected: stalls", 1);
    }

    [DovecotFact]
    public async Task Folders_ServerRefusesForAWhile_BacksOffThenSucceeds()
    {
        var user = await fixture.CreateUserAsync();
        await using var proxy = new FaultProxy(fixture.Server.PlainPort);
        var logs = new ConcurrentQueue<string>();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(new ListLoggerProvider(logs)).SetMinimumLevel(LogLevel.Warning));
        var account = ThroughProxy(proxy, user, timeout: TimeSpan.FromSeconds(5), maxRetries: 6);
        account.RetryDelay = TimeSpan.FromMilliseconds(200);
        await using var pool = new ImapConnectionPool(new ImapPoolOptions { LoggerFactory = loggerFactory });
        await using var client = new ImapRxClient(account, pool);

        proxy.RefuseConnections(true);
        var folders = client.Folders().ToList().ToTask();
        await WaitUntilAsync(() => logs.Count(l => l.Contains("Connect failed", StringComparison.Ordinal)) >= 2);
        proxy.RefuseConnections(false);

        Assert.Contains(await folders.WaitAsync(TimeSpan.FromSeconds(60)), f => f.FullName == "INBOX");
        var retries = logs.Count(l => l.Contains("Connect failed", StringComparison.Ordinal));
        Assert.InRange(retries, 2, 6);

        // Each field in its place: it once read "Connect failed (1); retry 00:00:00.21 in TimeoutException".
        Assert.Matches(@"Connect failed \(ConnectionLost: \w+\); retry 1 in \d\d:\d\d:\d\d", logs.First(l => l.Contains("Connect failed", StringComparison.Ordinal)));
        ReliabilityFigures.Add("faults injected: refusal periods", 1);
        ReliabilityFigures.Add("refused connects waited out", retries);
    }

    [DovecotTheory]
    [InlineData("Folders", "LIST")]
    [InlineData("Folder", "STATUS")]
    [InlineData("MimeMessage", "BODY.PEEK[]")]
    [InlineData("SaveMessage", "BODY.PEEK[]")]
    [InlineData("StoreFlags", "STORE")]
    public async Task ColdStream_ConnectionCutMidCommand_RetriedAndCompletes(string operation, string command)
    {
        // docs/errors.md: every read, and the writes that do the same done twice, run again after a transient
        // failure. Only Messages, MessageContents and Search used to.
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, "INBOX", new CorpusGenerator(93).GenerateSmall(3));
        await using var proxy = new FaultProxy(fixture.Server.PlainPort);
        await using var client = new ImapRxClient(ThroughProxy(proxy, user, timeout: TimeSpan.FromSeconds(10), maxRetries: 2));
        proxy.CutOnPattern(Direction.ClientToServer, command, FaultScope.Once);
        using var saved = new MemoryStream();

        var results = operation switch
        {
            "Folders" => await client.Folders().Select(f => (object)f.FullName).ToList().ToTask(),
            "Folder" => await client.Folder("INBOX").Select(f => (object)f.TotalCount).ToList().ToTask(),
            "MimeMessage" => await client.MimeMessage("INBOX", 1).Select(m => (object)(m.Subject ?? string.Empty)).ToList().ToTask(),
            "SaveMessage" => await client.SaveMessage("INBOX", 1, saved).Select(n => (object)n).ToList().ToTask(),
            _ => await client.StoreFlags("INBOX", new uint[] { 1 }, FlagChange.AddStar).Select(u => (object)u).ToList().ToTask(),
        };

        Assert.NotEmpty(results);
        Assert.Equal(1, proxy.CountEvents(FaultEventKind.Cut));
        Assert.True(proxy.TotalConnections >= 2, "the cut connection was never replaced");
        if (operation == "SaveMessage")
        {
            Assert.Equal(saved.Length, (long)results[0]); // written once, after the retry, not twice
        }
    }

    [DovecotFact]
    public async Task Folders_ConnectionCutAfterTheCredentialsWereSent_FailsOnceAsAuthenticationWithoutRetry()
    {
        // A server that is slow to refuse a wrong password looks like this from the client; retrying could lock the account.
        var user = await fixture.CreateUserAsync();
        await using var proxy = new FaultProxy(fixture.Server.PlainPort);
        await using var client = new ImapRxClient(ThroughProxy(proxy, user, timeout: TimeSpan.FromSeconds(10), maxRetries: 3));
        proxy.CutOnPattern(Direction.ClientToServer, "AUTHENTICATE", FaultScope.EveryConnection);

        var error = await Assert.ThrowsAsync<ImapAuthenticationException>(() => client.Folders().ToList().ToTask().WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.False(error.ServerAnswered);
        Assert.False(error.IsTransient);
        Assert.Contains("was not tried again", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, proxy.TotalConnections);
    }

    private static ImapAccountOptions ThroughProxy(FaultProxy proxy, SandboxUser user, TimeSpan timeout, int maxRetries)
        => new(proxy.Host, user.Name, ImapCredential.FromPassword(user.Password))
        {
            Encryption = ImapEncryption.None,
            Port = proxy.Port,
            Timeout = timeout,
            MaxRetries = maxRetries,
            RetryDelay = TimeSpan.FromMilliseconds(100),
            MaxRetryDelay = TimeSpan.FromSeconds(1),
        };

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the condition");
            await Task.Delay(20);
        }
    }

    private sealed class ListLoggerProvider(ConcurrentQueue<string> queue) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(queue);

        public void Dispose()
        {
        }

        private sealed class ListLogger(ConcurrentQueue<string> queue) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
                => queue.Enqueue(formatter(state, exception));
        }
    }
}
