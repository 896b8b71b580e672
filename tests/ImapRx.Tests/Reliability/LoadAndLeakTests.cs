using System.Diagnostics;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using ImapRx.Fetching;
using ImapRx.Model;
using ImapRx.Operations;
using ImapRx.Sandbox.Server;
using ImapRx.Sync;
using ImapRx.Tests.Server;
using ImapRx.Watching;
using MailKit.Search;

namespace ImapRx.Tests.Reliability;

/// <summary>Many subscriptions, many threads, many watches: nothing leaks, nothing deadlocks, every answer is right.</summary>
[Collection(MemoryCollection.Name)]
public sealed class LoadAndLeakTests(DovecotFixture fixture)
{
    private const int MessageCount = 40;

    [DovecotFact]
    public async Task Streams_TenThousandSubscribeDisposeCycles_LeaveNoLeaseSocketOrMemoryBehind()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, "INBOX", new CorpusGenerator(80).GenerateSmall(MessageCount));
        await using var client = SandboxAccounts.Client(fixture.Server, user, maxConnections: 3);
        var store = new InMemorySyncStateStore();
        var kinds = new Func<int, IObservable<object>>[]
        {
            _ => client.Folders(),
            _ => client.Folder("INBOX"),
            _ => client.MessageBatches("INBOX", new FetchOptions { BatchSize = 10 }),
            _ => client.Messages("INBOX", new FetchOptions { Bodies = BodyFetchMode.TextAndHtml, Limit = 5 }),
            _ => client.Search("INBOX", "UNSEEN OR FLAGGED ANSWERED").Select(u => (object)u),
            _ => client.Search("INBOX", SearchQuery.All).Select(u => (object)u),
            i => client.MimeMessage("INBOX", (uint)(i % MessageCount) + 1),
            i => client.Sync("INBOX", store, new SyncOptions { Key = "cycle-" + (i % 7) }),
            _ => client.StoreFlags("INBOX", new uint[] { 1 }, new FlagChange(addKeywords: new[] { "cycled" })).Select(u => (object)u),
        };

        var cycles = 0;
        var completed = 0;
        async Task RunAsync(int from, int count)
        {
            using var gate = new SemaphoreSlim(8);
            var running = new List<Task>();
            for (var i = from; i < from + count; i++)
            {
                await gate.WaitAsync();
                var index = i;
                running.Add(Task.Run(async () =>
                {
                    try
                    {
                        // A third disposed at once, a third after the first value, a third run to the end.
                        var stream = index % 50 == 49 ? client.Watch("INBOX").Select(e => (object)e) : kinds[index % kinds.Length](index);
                        switch (index % 3)
                        {
                            case 0:
                                stream.Subscribe(_ => { }, _ => { }).Dispose();
                                break;
                            case 1:
                                await stream.Take(1).DefaultIfEmpty().ToTask();
                                break;
                            default:
                                if (index % 50 != 49)
                                {
                                    await stream.LastOrDefaultAsync().ToTask();
                                    Interlocked.Increment(ref completed);
                                }

                                break;
                        }

                        Interlocked.Increment(ref cycles);
                    }
                    finally
                    {
                        gate.Release();
                    }
                }));
            }

            await Task.WhenAll(running).WaitAsync(TimeSpan.FromMinutes(5));
        }

        await RunAsync(0, 500); // warm-up: pools, JIT, caches
        var memoryBefore = SettledMemory();
        await RunAsync(500, 9_500);
        var memoryAfter = SettledMemory();

        Assert.Equal(10_000, cycles);
        await WaitUntilAsync(() => client.Pool.GetStatistics(client.Account) is { LeasesInUse: 0, LeasesWaiting: 0 });
        Assert.True(client.Pool.GetStatistics(client.Account).OpenConnections <= 3, client.Pool.GetStatistics(client.Account).ToString());
        // The server agrees (sessions the pool closed may take a moment to end there): at most the pool's 3.
        var serverSessions = await fixture.Server.CountConnectionsAsync(user.Name);
        for (var wait = Stopwatch.StartNew(); serverSessions > 3 && wait.Elapsed < TimeSpan.FromSeconds(30); serverSessions = await fixture.Server.CountConnectionsAsync(user.Name))
        {
            await Task.Delay(100);
        }

        Assert.InRange(serverSessions, 0, 3);
        Assert.True(memoryAfter - memoryBefore < 16 * 1024 * 1024, $"managed memory grew {(memoryAfter - memoryBefore) / 1024} KiB over 9,500 cycles");
        Assert.Equal(MessageCount, await client.Search("INBOX", SearchQuery.All).Count());
        ReliabilityFigures.Add("subscribe/dispose cycles", cycles);
        ReliabilityFigures.Add("cycles run to completion", completed);
    }

    [DovecotFact]
    public async Task Pool_ThirtyTwoThreadsOnAPoolOfThree_NoDeadlockNeverMoreThanThreeConnectionsEveryResultRight()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, "INBOX", new CorpusGenerator(81).GenerateSmall(MessageCount));
        await using var client = SandboxAccounts.Client(fixture.Server, user, maxConnections: 3);
        var expectedUids = Enumerable.Range(1, MessageCount).Select(i => (uint)i).ToList();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var maxSeen = 0;
        var operations = 0;
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var open = await fixture.Server.CountConnectionsAsync(user.Name);
                InterlockedMax(ref maxSeen, Math.Max(open, client.Pool.GetStatistics(client.Account).OpenConnections));
                await Task.Delay(100);
            }
        });

        var workers = Enumerable.Range(0, 32).Select(thread => Task.Run(async () =>
        {
            var keyword = "t" + thread;
            var mine = (uint)(thread % MessageCount) + 1;
            var round = 0;
            while (!stop.IsCancellationRequested)
            {
                switch (round++ % 4)
                {
                    case 0:
                        Assert.Equal(expectedUids, await client.Messages("INBOX").Select(m => m.Uid).ToList());
                        break;
                    case 1:
                        Assert.Equal(MessageCount, (await client.Folder("INBOX")).TotalCount);
                        break;
                    case 2:
                        await client.StoreFlags("INBOX", new[] { mine }, new FlagChange(addKeywords: new[] { keyword }));
                        Assert.Contains(mine, await client.Search("INBOX", "KEYWORD " + keyword).ToList());
                        break;
                    default:
                        await client.StoreFlags("INBOX", new[] { mine }, new FlagChange(removeKeywords: new[] { keyword }));
                        Assert.DoesNotContain(mine, await client.Search("INBOX", "KEYWORD " + keyword).ToList());
                        break;
                }

                Interlocked.Increment(ref operations);
            }
        })).ToList();

        // A deadlock shows up as this wait timing out, long after the 20 s run was told to stop.
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(3));
        await sampler;

        Assert.InRange(maxSeen, 1, 3);
        Assert.True(operations >= 32, $"only {operations} operations completed");
        Assert.Equal(0, client.Pool.GetStatistics(client.Account).LeasesInUse);
        ReliabilityFigures.Add("operations by 32 threads on a pool of 3", operations);
    }

    [DovecotFact]
    public async Task Watch_TwoHundredFoldersWatchedAtOnce_EveryWatchGetsItsArrivalWithBoundedThreads()
    {
        const int Watches = 200;
        Assert.True(File.ReadAllText("/proc/sys/fs/inotify/max_user_instances").Trim() is var limit && int.Parse(limit) >= 2 * Watches,
            "fs.inotify.max_user_instances is too low for this test (Dovecot would fall back to 30 s polling): scripts/test.sh raises it.");
        await using var server = await DovecotServer.StartAsync(new DovecotServerOptions { MaxConnections = Watches + 50 });
        var user = await server.CreateUserAsync();
        var folders = Enumerable.Range(0, Watches).Select(i => $"Watched/{i:D3}").ToList();
        await using (var setup = await SandboxClient.ConnectAsync(server, user))
        {
            foreach (var folder in folders)
            {
                await setup.CreateFolderAsync(folder);
            }
        }

        var account = SandboxAccounts.For(server, user, maxConnections: Watches + 10);
        await using var client = new ImapRxClient(account);
        var threadsBefore = Process.GetCurrentProcess().Threads.Count;
        var memoryBefore = SettledMemory();
        var arrivals = new System.Collections.Concurrent.ConcurrentDictionary<string, uint>();
        var idling = 0;
        var subscriptions = folders.Select(f => client.Watch(f).Subscribe(e =>
        {
            if (e is WatchIdling)
            {
                Interlocked.Increment(ref idling);
            }
            else if (e is MessagesArrived arrived)
            {
                arrivals[arrived.Folder] = arrived.Uids.Single();
            }
        })).ToList();
        await WaitUntilAsync(() => Volatile.Read(ref idling) >= Watches, TimeSpan.FromMinutes(2));
        var threadsWatching = Process.GetCurrentProcess().Threads.Count;
        var memoryPerWatch = (SettledMemory() - memoryBefore) / Watches;

        await using (var other = await SandboxClient.ConnectAsync(server, user))
        {
            var generator = new CorpusGenerator(82);
            for (var i = 0; i < Watches; i++)
            {
                await other.AppendAsync(folders[i], generator.CreateSmallMessage(i));
            }
        }

        await WaitUntilAsync(() => arrivals.Count >= Watches, TimeSpan.FromMinutes(2));
        subscriptions.ForEach(s => s.Dispose());

        Assert.Equal(folders.OrderBy(f => f), arrivals.Keys.OrderBy(f => f));
        Assert.All(arrivals.Values, uid => Assert.Equal(1u, uid));
        Assert.True(threadsWatching - threadsBefore < 40, $"{threadsWatching - threadsBefore} more threads for {Watches} watches: a thread per watch?");
        Assert.True(memoryPerWatch < 1024 * 1024, $"{memoryPerWatch / 1024} KiB of managed memory per watch");
        Assert.Equal(0, await server.WaitForConnectionsAsync(0, user.Name, TimeSpan.FromSeconds(60)));
        ReliabilityFigures.Add("concurrent watches, each receiving its arrival", arrivals.Count);
        ReliabilityFigures.Add("threads added by 200 watches", threadsWatching - threadsBefore);
        ReliabilityFigures.Add("managed KiB per watch", memoryPerWatch / 1024);
    }

    private static long SettledMemory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan? patience = null)
    {
        var deadline = DateTime.UtcNow + (patience ?? TimeSpan.FromSeconds(30));
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the condition");
            await Task.Delay(50);
        }
    }
}
