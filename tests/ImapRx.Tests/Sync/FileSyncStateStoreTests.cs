using ImapRx.Sync;
using ImapRx.Tests.Server;

namespace ImapRx.Tests.Sync;

[Collection(DovecotWatchCollection.Name)]
public sealed class FileSyncStateStoreContractTests(DovecotFixture fixture) : SyncStateStoreContractTests(fixture)
{
    protected override ISyncStateStore Open() => new FileSyncStateStore(Path.Combine(Root, "checkpoints"));

    protected override string Damage(ISyncStateStore store, string key)
    {
        var path = ((FileSyncStateStore)store).PathFor(key);
        var text = File.ReadAllText(path);
        File.WriteAllText(path, text[..(text.Length / 2)]);
        return path;
    }
}

public sealed class FileSyncStateStoreTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("imaprx-store-").FullName;

    private static SyncCheckpoint Sample(uint last) => new()
    {
        Folder = "Entwürfe/Ä\nB",
        UidValidity = 7,
        UidNext = last + 1,
        HighestModSeq = 1234567890123,
        LastSeenUid = last,
        KnownUids = "1:" + last,
    };

    [Fact]
    public async Task SaveAndLoad_NewInstance_RoundTripsEveryField()
    {
        await new FileSyncStateStore(_directory).SaveAsync("acct/INBOX", Sample(40));

        var loaded = await new FileSyncStateStore(_directory).LoadAsync("acct/INBOX");

        Assert.Equal(Sample(40), loaded);
        Assert.Null(await new FileSyncStateStore(_directory).LoadAsync("acct/Other"));
    }

    [Fact]
    public async Task Load_LeftoverTempFileFromACrashedWrite_ReturnsTheOldCheckpoint()
    {
        var store = new FileSyncStateStore(_directory);
        await store.SaveAsync("k", Sample(10));
        File.WriteAllText(store.PathFor("k") + ".tmp-deadbeef", "imaprx-checkpoint 1\nkey=k\nfolder=half-writ");

        Assert.Equal(Sample(10), await new FileSyncStateStore(_directory).LoadAsync("k"));
    }

    [Fact]
    public async Task Load_TruncatedFile_ThrowsNamingTheFile()
    {
        var store = new FileSyncStateStore(_directory);
        await store.SaveAsync("k", Sample(10));
        var text = File.ReadAllText(store.PathFor("k"));
        File.WriteAllText(store.PathFor("k"), text[..(text.Length / 2)]);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => store.LoadAsync("k"));
        Assert.Contains(store.PathFor("k"), error.Message);
    }

    [Fact]
    public async Task Save_ConcurrentWriters_LeaveAValidCheckpoint()
    {
        var store = new FileSyncStateStore(_directory);

        await Task.WhenAll(Enumerable.Range(1, 40).Select(i => Task.Run(() => store.SaveAsync("k", Sample((uint)i)))));

        var loaded = await store.LoadAsync("k");
        Assert.NotNull(loaded);
        Assert.InRange(loaded!.LastSeenUid, 1u, 40u);
        Assert.Single(Directory.GetFiles(_directory));
    }

    [Fact]
    public void PathFor_HostileKeys_StayInsideTheDirectoryAndDoNotCollide()
    {
        var store = new FileSyncStateStore(_directory);

        var a = store.PathFor("../../etc/passwd");
        var b = store.PathFor("..\\..\\etc\\passwd");

        Assert.StartsWith(_directory, a);
        Assert.NotEqual(a, b);
        Assert.Throws<ArgumentException>(() => store.PathFor(""));
    }

    public void Dispose() => Directory.Delete(_directory, true);
}
