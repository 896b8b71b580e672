using System.Net;
using System.Net.Http.Json;
using System.Reactive.Linq;
using System.Text.Json;
using ImapRx.Model;
using ImapRx.Samples.LivePipeline;
using ImapRx.Samples.MultiAccount;
using ImapRx.Samples.WebApi;
using ImapRx.Samples.Worker;
using ImapRx.Sandbox.Server;
using ImapRx.Sync;
using ImapRx.Tests.Extensions.Hosting;
using ImapRx.Tests.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImapRx.Tests.Samples;

/// <summary>Every sample under samples/, run against the sandbox server.</summary>
[Collection(DovecotToolsCollection.Name)]
public sealed class SampleTests(DovecotFixture fixture)
{
    [DovecotFact]
    public async Task WebApi_FoldersAndMessagesAsJson_OnePoolForConcurrentRequests()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, "INBOX", new CorpusGenerator(120) { MalformedInterval = 0 }.GenerateSmall(12));
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(SandboxConfiguration.For(fixture.Server, user, "Main", maxConnections: 2));
        var app = MailApi.Build(builder);
        app.Urls.Add("http://127.0.0.1:0");
        await app.StartAsync();
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            using var http = new HttpClient { BaseAddress = new Uri(address) };

            var folders = await http.GetFromJsonAsync<JsonElement[]>("/folders");
            var page = await http.GetFromJsonAsync<JsonElement[]>("/folders/INBOX?sinceUid=4&limit=5");
            var missing = await http.GetAsync("/folders/No%20such%20folder");
            var parallel = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => http.GetFromJsonAsync<JsonElement[]>("/folders/INBOX")));
            var health = await http.GetAsync("/health");

            Assert.Contains(folders!, f => f.GetProperty("fullName").GetString() == "INBOX");
            Assert.Contains(folders!, f => f.GetProperty("fullName").GetString() == "Projects/2026/Q1");
            Assert.Equal(new uint[] { 5, 6, 7, 8, 9 }, page!.Select(m => m.GetProperty("uid").GetUInt32()));
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.All(parallel, messages => Assert.Equal(12, messages!.Length));
            Assert.True(await fixture.Server.CountConnectionsAsync(user.Name) <= 2, "the requests did not share the pool");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    [DovecotFact]
    public async Task Worker_RestartedOnTheSameCheckpoints_ReportsOnlyWhatArrivedMeanwhile()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, "INBOX", new CorpusGenerator(121) { MalformedInterval = 0 }.GenerateSmall(3));
        var directory = Directory.CreateTempSubdirectory("imaprx-worker-").FullName;
        try
        {
            var first = await RunWorkerUntilAsync(user, directory, expectedArrivals: 3);
            await using (var other = await SandboxClient.ConnectAsync(fixture.Server, user))
            {
                await other.AppendAsync("INBOX", new CorpusGenerator(122).CreateSmallMessage(0));
            }

            var second = await RunWorkerUntilAsync(user, directory, expectedArrivals: 1);

            Assert.Equal(new uint[] { 1, 2, 3 }, first);
            Assert.Equal(new uint[] { 4 }, second);
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(directory, "checkpoints"))); // the data directory, not bin
        }
        finally
        {
            Directory.Delete(directory, true);
        }
    }

    [DovecotFact]
    public async Task MultiAccount_ThreeAccountsTwoAtATime_EveryAccountsMessagesOnce()
    {
        var users = new List<SandboxUser>();
        for (var i = 0; i < 3; i++)
        {
            var user = await fixture.CreateUserAsync();
            await new MaildirWriter(fixture.Server).WriteAsync(user, "INBOX", new CorpusGenerator(130 + i) { MalformedInterval = 0 }.GenerateSmall(4 + i));
            users.Add(user);
        }

        var clients = users.Select(u => SandboxAccounts.Client(fixture.Server, u)).ToList();
        var concurrency = new SyncConcurrency();
        try
        {
            var changes = await MultiAccountSync.SyncInboxes(clients.Select(concurrency.Counting), new InMemorySyncStateStore(), maxConcurrent: 2).ToList();

            var perAccount = changes.GroupBy(c => c.Account).ToDictionary(g => g.Key, g => g.Select(c => c.Change).OfType<MessagesArrived>().Sum(a => a.Uids.Count));
            Assert.Equal(users.ToDictionary(u => u.Name, u => 4 + users.IndexOf(u)), perAccount);
            Assert.Equal(3, concurrency.Started);
            Assert.Equal(2, concurrency.Peak); // never more than two accounts syncing at once, and two did
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [DovecotFact]
    public async Task LivePipeline_ThreeMessagesFromOneSender_OneDigestWithAllThree()
    {
        var user = await fixture.CreateUserAsync();
        await using var client = SandboxAccounts.Client(fixture.Server, user);
        var digests = new List<SenderDigest>();
        var watch = client.Watch("INBOX", new() { IncludeSummaries = true });
        using var subscription = SenderDigests.PerSender(watch, TimeSpan.FromSeconds(4), System.Reactive.Concurrency.DefaultScheduler.Instance).Subscribe(d =>
        {
            lock (digests)
            {
                digests.Add(d);
            }
        });
        await watch.OfType<WatchIdling>().FirstAsync().Timeout(TimeSpan.FromSeconds(30));

        await using (var other = await SandboxClient.ConnectAsync(fixture.Server, user))
        {
            var generator = new CorpusGenerator(140);
            foreach (var i in new[] { 0, 1, 2 })
            {
                var message = generator.CreateSmallMessage(i).ToMimeMessage();
                message.From.Clear();
                message.From.Add(new MimeKit.MailboxAddress("Ann", "Ann@Example.com"));
                await other.AppendAsync("INBOX", message);
            }
        }

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (digests.Sum(d => d.Count) < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        lock (digests)
        {
            Assert.Equal(3, digests.Sum(d => d.Count));
            Assert.All(digests, d => Assert.Equal("ann@example.com", d.Sender));
            Assert.InRange(digests.Count, 1, 2); // one window, or two if the arrivals straddled a boundary
        }
    }

    [DovecotFact]
    public async Task QuickStart_AgainstTheSandbox_ListsSearchesAndSeesALiveArrival()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, "INBOX", new CorpusGenerator(150) { MalformedInterval = 0 }.GenerateSmall(3));

        var lines = await QuickStart.RunAsync(SandboxAccounts.For(fixture.Server, user), async () =>
        {
            await using var other = await SandboxClient.ConnectAsync(fixture.Server, user);
            await other.AppendAsync("INBOX", new CorpusGenerator(151).CreateSmallMessage(0));
        });

        Assert.Contains(lines, l => l.StartsWith("INBOX: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l == "1 new message(s)");
        Assert.Equal("ann@example.com", QuickStart.Account("x").Username);
    }

    private async Task<List<uint>> RunWorkerUntilAsync(SandboxUser user, string dataDirectory, int expectedArrivals)
    {
        var handler = new CollectingHandler();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(SandboxConfiguration.For(fixture.Server, user, "Main"));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Worker:DataDirectory"] = dataDirectory,
            ["Worker:Interval"] = "00:00:00.200",
        });
        WorkerHost.Configure(builder);
        builder.Services.AddSingleton<IInboxHandler>(handler);
        using var host = builder.Build();
        await host.StartAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (handler.Arrived.Count < expectedArrivals && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        await Task.Delay(600); // a few more rounds: nothing may be reported twice
        await host.StopAsync();
        return handler.Arrived.ToList();
    }

    private sealed class CollectingHandler : IInboxHandler
    {
        public System.Collections.Concurrent.ConcurrentQueue<uint> Arrived { get; } = new();

        public void Handle(MailboxEvent change)
        {
            if (change is MessagesArrived arrived)
            {
                foreach (var uid in arrived.Uids)
                {
                    Arrived.Enqueue(uid);
                }
            }
        }
    }

    /// <summary>Counts how many Sync streams are subscribed at once, through a proxy around each client.</summary>
    private sealed class SyncConcurrency
    {
        private int _active;
        private int _peak;
        private int _started;

        public int Peak => Volatile.Read(ref _peak);

        public int Started => Volatile.Read(ref _started);

        public IImapRxClient Counting(IImapRxClient client)
        {
            var proxy = System.Reflection.DispatchProxy.Create<IImapRxClient, CountingProxy>();
            ((CountingProxy)(object)proxy).Init(client, this);
            return proxy;
        }

        internal IObservable<T> Track<T>(IObservable<T> sync)
            => Observable.Defer(() =>
            {
                Interlocked.Increment(ref _started);
                var now = Interlocked.Increment(ref _active);
                int seen;
                while (now > (seen = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, seen) != seen)
                {
                }

                return sync.Finally(() => Interlocked.Decrement(ref _active));
            });
    }

    public class CountingProxy : System.Reflection.DispatchProxy
    {
        private IImapRxClient _inner = null!;
        private SyncConcurrency _counter = null!;

        internal void Init(IImapRxClient inner, object counter)
        {
            _inner = inner;
            _counter = (SyncConcurrency)counter;
        }

        protected override object? Invoke(System.Reflection.MethodInfo? targetMethod, object?[]? args)
        {
            var result = targetMethod!.Invoke(_inner, args);
            return targetMethod.Name == nameof(IImapRxClient.Sync) ? _counter.Track((IObservable<MailboxEvent>)result!) : result;
        }
    }
}
