using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using ImapRx.Fetching;
using ImapRx.Model;
using ImapRx.Pooling;
using ImapRx.Sandbox.Server;
using ImapRx.Tests.Reliability;
using ImapRx.Tests.Server;
using ImapRx.Tests.Watching;

namespace ImapRx.Tests.Client;

/// <summary>
/// Disposing the client ends every stream it started (docs/streams.md, "Disposing the client"): watches complete
/// after ending IDLE and logging out, a cold stream in flight fails with ObjectDisposedException, and the server is
/// left with no session of the client's, counted with <c>doveadm who</c>.
/// </summary>
[Collection(DovecotCollection.Name)]
public sealed class ClientDisposalTests(DovecotFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [DovecotFact]
    public async Task DisposeAsync_WatchesAndAColdStreamRunning_EveryStreamEndsAndEveryConnectionLogsOut()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, "INBOX", new CorpusGenerator(181) { MalformedInterval = 0 }.GenerateSmall(20));
        var wire = new WireLog();
        var client = new ImapRxClient(SandboxAccounts.For(fixture.Server, user, maxConnections: 4), new ImapPoolOptions { ProtocolLog = wire.Open });

        // A single-folder IDLE watch, a NOTIFY watch of two folders, and a fetch blocked in its subscriber.
        var single = new Ending<MailboxEvent>();
        var multi = new Ending<MailboxEvent>();
        var fetch = new Ending<IReadOnlyList<MailMessageInfo>>();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var s1 = client.Watch(SandboxFolders.Archive).Subscribe(single);
        using var s2 = client.Watch(new[] { "INBOX", "Projects/2026/Q1" }).Subscribe(multi);
        using var s3 = client.MessageBatches("INBOX", new FetchOptions { BatchSize = 2 })
            .Do(_ =>
            {
                started.TrySetResult();
                release.Task.Wait(Patience); // the first batch waits until disposal has begun
            })
            .Subscribe(fetch);
        await WaitUntilAsync(() => single.Values.OfType<WatchIdling>().Any() && multi.Values.OfType<WatchIdling>().Count() >= 2, "both watches idle");
        await started.Task.WaitAsync(Patience);
        Assert.True(await fixture.Server.CountConnectionsAsync(user.Name) >= 3);

        var disposing = client.DisposeAsync();
        release.SetResult();
        await disposing.AsTask().WaitAsync(Patience);

        // Every stream ended when DisposeAsync returned: watches completed, the fetch was told why it stopped.
        Assert.True(single.Completed && single.Error is null, $"single-folder watch: {single}");
        Assert.True(multi.Completed && multi.Error is null, $"NOTIFY watch: {multi}");
        Assert.IsType<ObjectDisposedException>(fetch.Error);
        Assert.False(fetch.Completed);
        Assert.True(fetch.Values.Count < 10, "the fetch was cut short, not run to its end");

        // Both watch connections ended IDLE and logged out; the server keeps no session of this user.
        Assert.True(wire.Count("C: DONE") >= 2, "IDLE ended with DONE on both watch connections");
        Assert.True(wire.ToString().Split('\n').Count(l => l.StartsWith("C: ", StringComparison.Ordinal) && l.Contains(" LOGOUT", StringComparison.Ordinal)) >= 2, wire.ToString()[^Math.Min(3000, wire.ToString().Length)..]);
        Assert.Equal(0, await fixture.Server.WaitForConnectionsAsync(0, user.Name, Patience));
        ReliabilityFigures.Add("streams ended by client disposal (2 watches, 1 fetch)", 3);
    }

    [DovecotFact]
    public async Task DisposeAsync_SharedPool_EndsThisClientsWatchOnly_OtherClientWorks()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, "INBOX", new CorpusGenerator(182) { MalformedInterval = 0 }.GenerateSmall(3));
        var wire = new WireLog();
        await using var pool = new ImapConnectionPool(new ImapPoolOptions { ProtocolLog = wire.Open });
        var account = SandboxAccounts.For(fixture.Server, user, maxConnections: 4);
        var doomed = new ImapRxClient(account, pool);
        await using var survivor = new ImapRxClient(account, pool);
        var doomedWatch = new Ending<MailboxEvent>();
        var survivorWatch = new Ending<MailboxEvent>();
        using var s1 = doomed.Watch("INBOX").Subscribe(doomedWatch);
        using var s2 = survivor.Watch(SandboxFolders.Archive).Subscribe(survivorWatch);
        await WaitUntilAsync(() => doomedWatch.Values.OfType<WatchIdling>().Any() && survivorWatch.Values.OfType<WatchIdling>().Any(), "both watches idle");
        Assert.Equal(2, await fixture.Server.CountConnectionsAsync(user.Name));
        var before = doomed.Messages("INBOX");

        await doomed.DisposeAsync().AsTask().WaitAsync(Patience);

        Assert.True(doomedWatch.Completed && doomedWatch.Error is null, doomedWatch.ToString());
        Assert.Equal(1, await fixture.Server.WaitForConnectionsAsync(1, user.Name, Patience)); // the survivor's watch
        Assert.Equal(1, wire.ToString().Split('\n').Count(l => l.StartsWith("C: ", StringComparison.Ordinal) && l.Contains(" LOGOUT", StringComparison.Ordinal)));
        Assert.False(survivorWatch.Completed || survivorWatch.Error is not null, survivorWatch.ToString());
        Assert.Equal(3, await survivor.Messages("INBOX").Count());

        // What was built on the disposed client fails at call time, or at subscription when built before.
        Assert.Throws<ObjectDisposedException>(() => doomed.Watch("INBOX"));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await before.ToList());
    }

    [DovecotFact]
    public async Task DisposeAsync_WatchWaitingToReconnect_CompletesAtOnce()
    {
        var user = await fixture.CreateUserAsync();
        await using var proxy = new ImapRx.Sandbox.Faults.FaultProxy(fixture.Server.PlainPort);
        var account = new ImapRx.Configuration.ImapAccountOptions(proxy.Host, user.Name, ImapRx.Configuration.ImapCredential.FromPassword(user.Password))
        {
            Encryption = ImapRx.Configuration.ImapEncryption.None,
            Port = proxy.Port,
            RetryDelay = TimeSpan.FromMinutes(10), // disposal must not wait for it
            MaxRetryDelay = TimeSpan.FromMinutes(10),
        };
        var client = new ImapRxClient(account);
        var watch = new Ending<MailboxEvent>();
        using var subscription = client.Watch("INBOX").Subscribe(watch);
        await WaitUntilAsync(() => watch.Values.OfType<WatchIdling>().Any(), "the watch idles");
        proxy.RefuseConnections(true);
        proxy.CutAll();
        await WaitUntilAsync(() => watch.Values.OfType<WatchReconnecting>().Any(), "the watch waits to reconnect");

        await client.DisposeAsync().AsTask().WaitAsync(Patience);

        Assert.True(watch.Completed && watch.Error is null, watch.ToString());
        Assert.Equal(0, await fixture.Server.WaitForConnectionsAsync(0, user.Name, Patience));
    }

    [DovecotTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Dispose_FromTheStreamsOwnEnd_ReturnsInsteadOfWaitingForThatEnd(bool failing)
    {
        // What `await client.GetFoldersAsync(); host.Dispose();` does when the await resumes inline: the code after
        // the stream's OnCompleted (or OnError) disposes the client synchronously, on the thread delivering that end.
        var user = await fixture.CreateUserAsync();
        var client = new ImapRxClient(SandboxAccounts.For(fixture.Server, user));
        var disposed = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        void DisposeHere() => disposed.TrySetResult(client.DisposeAsync().AsTask().Wait(Patience));
        var stream = failing ? client.Folder("No such folder").Select(_ => 0) : client.Folders().Select(_ => 0);

        using var subscription = stream.Subscribe(_ => { }, _ => DisposeHere(), DisposeHere);

        Assert.True(await disposed.Task.WaitAsync(Patience * 2), "DisposeAsync did not return within 30 s: it waited for the end it was called from");
        Assert.Equal(0, await fixture.Server.CountConnectionsAsync(user.Name));
    }

    [DovecotFact]
    public async Task Messages_NativeReaderOnAnEmptyFolder_Completes()
    {
        var user = await fixture.CreateUserAsync();
        await using var client = new ImapRxClient(SandboxAccounts.For(fixture.Server, user));

        var batches = await client.MessageBatches("INBOX", new FetchOptions { UseNativeReader = true }).ToList().ToTask().WaitAsync(Patience);

        Assert.Empty(batches);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(10);
        }
    }

    /// <summary>Records how a stream ended.</summary>
    private sealed class Ending<T> : IObserver<T>
    {
        private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly System.Collections.Concurrent.ConcurrentQueue<T> _values = new();
        private volatile bool _completed;
        private volatile Exception? _error;

        public List<T> Values => _values.ToList();

        public Task FirstValue => _first.Task;

        public bool Completed => _completed;

        public Exception? Error => _error;

        public void OnNext(T value)
        {
            _values.Enqueue(value);
            _first.TrySetResult();
        }

        public void OnError(Exception error) => _error = error;

        public void OnCompleted() => _completed = true;

        public override string ToString() => $"completed={_completed}, error={_error}, last={_values.LastOrDefault()}";
    }
}
