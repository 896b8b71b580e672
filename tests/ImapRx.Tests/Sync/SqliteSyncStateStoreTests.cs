using ImapRx.Sync;
using ImapRx.Tests.Server;
using Microsoft.Data.Sqlite;

namespace ImapRx.Tests.Sync;

[Collection(DovecotWatchCollection.Name)]
public sealed class SqliteSyncStateStoreTests(DovecotFixture fixture) : SyncStateStoreContractTests(fixture)
{
    private string DatabasePath => Path.Combine(Root, "state", "checkpoints.db");

    protected override ISyncStateStore Open() => new SqliteSyncStateStore(DatabasePath);

    protected override string Damage(ISyncStateStore store, string key)
    {
        // Close pooled connections so the WAL is folded back into the file, then overwrite its header.
        SqliteConnection.ClearAllPools();
        using (var file = new FileStream(DatabasePath, FileMode.Open, FileAccess.Write))
        {
            file.Write(new byte[100].Select(_ => (byte)'x').ToArray());
        }

        return DatabasePath;
    }

    [Fact]
    public async Task Save_FirstUse_CreatesWalDatabaseWithSchemaVersion()
    {
        await Open().SaveAsync("k", Sample(1));

        using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        connection.Open();
        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode"));
        Assert.Equal((long)SqliteSyncStateStore.SchemaVersion, Scalar(connection, "PRAGMA user_version"));
    }

    [Fact]
    public async Task Load_NewerSchemaVersion_ThrowsNamingFileAndVersion()
    {
        await Open().SaveAsync("k", Sample(1));
        using (var connection = new SqliteConnection($"Data Source={DatabasePath}"))
        {
            connection.Open();
            Scalar(connection, $"PRAGMA user_version = {SqliteSyncStateStore.SchemaVersion + 1}");
        }

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Open().LoadAsync("k"));

        Assert.Contains(DatabasePath, error.Message);
        Assert.Contains($"schema version {SqliteSyncStateStore.SchemaVersion + 1}", error.Message);
    }

    [Fact]
    public async Task Load_SomeoneElsesDatabase_RefusesToWriteIntoIt()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        using (var connection = new SqliteConnection($"Data Source={DatabasePath}"))
        {
            connection.Open();
            Scalar(connection, "CREATE TABLE invoices (id INTEGER)");
        }

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Open().SaveAsync("k", Sample(1)));

        Assert.Contains(DatabasePath, error.Message);
    }

    [Fact]
    public async Task Save_AnotherConnectionHoldsTheWriteLock_WaitsForItAndSucceeds()
    {
        await Open().SaveAsync("k", Sample(1));
        using var holder = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        holder.Open();
        using var transaction = holder.BeginTransaction(deferred: false);

        var save = Task.Run(() => Open().SaveAsync("k", Sample(2)));
        await Task.Delay(300); // not a timing assertion: only lets the save meet the lock before it is released
        Assert.False(save.IsCompleted);
        transaction.Commit();
        await save;

        Assert.Equal(Sample(2), await Open().LoadAsync("k"));
    }

    [Fact]
    public async Task Save_WriteLockHeldPastTheBusyTimeout_FailsAndKeepsTheOldCheckpoint()
    {
        await Open().SaveAsync("k", Sample(1));
        using (var holder = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            holder.Open();
            using var transaction = holder.BeginTransaction(deferred: false);

            var error = await Assert.ThrowsAsync<SqliteException>(() => new SqliteSyncStateStore(DatabasePath, TimeSpan.FromSeconds(1)).SaveAsync("k", Sample(2)));
            Assert.Equal(5, error.SqliteErrorCode); // SQLITE_BUSY
        }

        Assert.Equal(Sample(1), await Open().LoadAsync("k"));
    }

    [Fact]
    public void Constructor_BadArguments_ThrowNamingTheParameter()
    {
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => new SqliteSyncStateStore(" ")).ParamName);
        Assert.Equal("busyTimeout", Assert.Throws<ArgumentOutOfRangeException>(() => new SqliteSyncStateStore("x.db", TimeSpan.Zero)).ParamName);
    }

    [Fact]
    public async Task ListKeys_SeveralAccounts_ReturnsEveryKeyInOrder()
    {
        var store = Open();
        await store.SaveAsync("b/INBOX", Sample(1));
        await store.SaveAsync("a/Sent", Sample(1));

        Assert.Equal(new[] { "a/Sent", "b/INBOX" }, await ((SqliteSyncStateStore)Open()).ListKeysAsync());
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
