using System.Reactive.Linq;
using ImapRx.Model;
using ImapRx.Sandbox.Server;
using ImapRx.Sync;
using ImapRx.Tests.Server;

namespace ImapRx.Tests.Sync;

/// <summary>
/// What every <see cref="ISyncStateStore"/> promises, run once per store: a new instance on the same location is
/// "the next process"; a crash between delivery and save means re-delivery, never loss; damage is a clear error
/// naming the file; writers of different keys never lose each other's checkpoints.
/// </summary>
public abstract class SyncStateStoreContractTests(DovecotFixture fixture) : IDisposable
{
    protected string Root { get; } = Directory.CreateTempSubdirectory("imaprx-contract-").FullName;

    /// <summary>A new store instance on the same location, as a restarted process would open it.</summary>
    protected abstract ISyncStateStore Open();

    /// <summary>Damages what holds <paramref name="key"/> and returns the path the error must name.</summary>
    protected abstract string Damage(ISyncStateStore store, string key);

    protected static SyncCheckpoint Sample(uint last, bool withFlags = false) => new()
    {
        Folder = "Entwürfe/Ä\nB",
        UidValidity = uint.MaxValue - 1,
        UidNext = last + 1,
        HighestModSeq = long.MaxValue - 7,
        LastSeenUid = last,
        KnownUids = "1:" + last,
        KnownFlags = withFlags ? Enumerable.Range(1, (int)last).ToDictionary(i => (uint)i, i => i % 2 == 0 ? "\\Seen \\Flagged" : "") : null,
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SaveAndLoad_NewInstance_RoundTripsEveryField(bool withFlags)
    {
        await Open().SaveAsync("host:993:ann/Entwürfe", Sample(40, withFlags));

        var loaded = await Open().LoadAsync("host:993:ann/Entwürfe");

        Assert.NotNull(loaded);
        Assert.Equal(Sample(40, withFlags) with { KnownFlags = null }, loaded! with { KnownFlags = null });
        Assert.Equal(Sample(40, withFlags).KnownFlags?.OrderBy(e => e.Key), loaded.KnownFlags?.OrderBy(e => e.Key));
        Assert.Null(await Open().LoadAsync("host:993:ann/Other"));
    }

    [Fact]
    public async Task Delete_SavedKey_LoadReturnsNullAndOtherKeysStay()
    {
        var store = Open();
        await store.SaveAsync("a/INBOX", Sample(3));
        await store.SaveAsync("b/INBOX", Sample(4));

        await store.DeleteAsync("a/INBOX");

        Assert.Null(await Open().LoadAsync("a/INBOX"));
        Assert.Equal(Sample(4), await Open().LoadAsync("b/INBOX"));
    }

    [Fact]
    public async Task Save_Twice_LoadReturnsTheLatest()
    {
        await Open().SaveAsync("k", Sample(10));
        await Open().SaveAsync("k", Sample(11));

        Assert.Equal(Sample(11), await Open().LoadAsync("k"));
    }

    [Fact]
    public async Task Load_DamagedStore_ThrowsNamingTheFile()
    {
        var store = Open();
        await store.SaveAsync("k", Sample(10));
        var path = Damage(store, "k");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Open().LoadAsync("k"));

        Assert.Contains(path, error.Message);
    }

    [Fact]
    public async Task Save_TwoInstancesWritingDifferentFoldersConcurrently_LoseNothing()
    {
        var first = Open();
        var second = Open();

        await Task.WhenAll(Enumerable.Range(1, 60).Select(i => Task.Run(() =>
            (i % 2 == 0 ? first : second).SaveAsync($"acct{i % 3}/Folder{i}", Sample((uint)i)))));

        var reader = Open();
        foreach (var i in Enumerable.Range(1, 60))
        {
            Assert.Equal(Sample((uint)i), await reader.LoadAsync($"acct{i % 3}/Folder{i}"));
        }
    }

    [Fact]
    public async Task Save_ConcurrentFirstWritersOfOneKey_AllSucceedAndLeaveOneOfTheWrittenCheckpoints()
    {
        // No checkpoint exists yet: separate instances (separate processes as far as the store knows) all make the
        // very first save of the key at once, and none of them may fail for finding the file already there.
        // Eight writers per key on dedicated threads released together, over 40 keys, make the window wide enough.
        const int Keys = 40, WritersPerKey = 8;
        using var start = new ManualResetEventSlim();
        var writers = Enumerable.Range(0, Keys * WritersPerKey).Select(n =>
        {
            var store = Open();
            return Task.Factory.StartNew(
                () =>
                {
                    start.Wait();
                    store.SaveAsync($"k{n / WritersPerKey}", Sample((uint)(n % WritersPerKey + 1))).GetAwaiter().GetResult();
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);
        }).ToArray();
        start.Set();
        await Task.WhenAll(writers);

        foreach (var key in Enumerable.Range(0, Keys))
        {
            var loaded = await Open().LoadAsync($"k{key}");
            Assert.NotNull(loaded);
            Assert.Equal(Sample(loaded!.LastSeenUid), loaded);
            Assert.InRange(loaded.LastSeenUid, 1u, (uint)WritersPerKey);
        }
    }

    [Fact]
    public async Task Keys_Empty_Throw()
    {
        var store = Open();

        await Assert.ThrowsAsync<ArgumentException>(() => store.LoadAsync(""));
        await Assert.ThrowsAsync<ArgumentException>(() => store.SaveAsync("", Sample(1)));
        await Assert.ThrowsAsync<ArgumentNullException>(() => store.SaveAsync("k", null!));
    }

    [DovecotFact]
    public async Task Sync_CrashAfterDeliveryBeforeSave_RedeliversAndNeverLoses()
    {
        var user = await fixture.CreateUserAsync();
        await using var other = await SandboxClient.ConnectAsync(fixture.Server, user);
        var generator = new CorpusGenerator(33);
        var before = new List<uint>();
        for (var i = 0; i < 3; i++)
        {
            before.Add((await other.AppendAsync("INBOX", generator.CreateSmallMessage(i))).Id);
        }

        await using var client = SandboxAccounts.Client(fixture.Server, user);
        var first = await client.Sync("INBOX", Open()).ToList();
        Assert.Equal(before, first.OfType<MessagesArrived>().SelectMany(e => e.Uids));

        var after = new List<uint>();
        for (var i = 3; i < 5; i++)
        {
            after.Add((await other.AppendAsync("INBOX", generator.CreateSmallMessage(i))).Id);
        }

        // The process "dies" after every event was handed over but before the checkpoint reached the store.
        var delivered = new List<uint>();
        await Assert.ThrowsAsync<IOException>(async () =>
            await client.Sync("INBOX", new CrashOnSave(Open())).Do(e => delivered.AddRange((e as MessagesArrived)?.Uids ?? [])).ToList());
        Assert.Equal(after, delivered);

        // The next process gets exactly those again: re-delivery, nothing lost, nothing older repeated.
        var again = await client.Sync("INBOX", Open()).ToList();
        Assert.Equal(after, again.OfType<MessagesArrived>().SelectMany(e => e.Uids));
        Assert.Empty(await client.Sync("INBOX", Open()).ToList());
    }

    [DovecotFact]
    public async Task Sync_SubscriberFailsMidway_CheckpointStaysAndEverythingIsRedelivered()
    {
        var user = await fixture.CreateUserAsync();
        await using var other = await SandboxClient.ConnectAsync(fixture.Server, user);
        var generator = new CorpusGenerator(34);
        var uids = new List<uint>();
        for (var i = 0; i < 4; i++)
        {
            uids.Add((await other.AppendAsync("INBOX", generator.CreateSmallMessage(i))).Id);
        }

        await using var client = SandboxAccounts.Client(fixture.Server, user);
        var seen = 0;
        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await client.Sync("INBOX", Open(), new SyncOptions { BatchSize = 1 })
                .Do(_ => { if (++seen == 2) throw new InvalidOperationException("handler crashed"); }).ToList());

        var again = await client.Sync("INBOX", Open()).ToList();

        Assert.Equal(uids, again.OfType<MessagesArrived>().SelectMany(e => e.Uids));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Root, true);
        GC.SuppressFinalize(this);
    }

    private sealed class CrashOnSave(ISyncStateStore inner) : ISyncStateStore
    {
        public Task<SyncCheckpoint?> LoadAsync(string key, CancellationToken cancellationToken = default) => inner.LoadAsync(key, cancellationToken);

        public Task SaveAsync(string key, SyncCheckpoint checkpoint, CancellationToken cancellationToken = default) => throw new IOException("power cut");

        public Task DeleteAsync(string key, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, cancellationToken);
    }
}
