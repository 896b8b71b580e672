using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;

namespace ImapRx.Sync;

/// <summary>
/// Checkpoints of many accounts and folders in one SQLite database file: the embedded default for one machine.
/// The database runs in WAL mode with <c>synchronous=FULL</c>, so a committed checkpoint survives a crash of the
/// process or the machine, and every write is one transaction, so a crash leaves the old checkpoint or the new
/// one. Several processes may share the file: a writer that finds it locked waits up to
/// <see cref="BusyTimeout"/>. A file that is not a SQLite database, or whose schema was written by a newer
/// ImapRx, raises <see cref="InvalidDataException"/> naming the file rather than silently starting over.
/// </summary>
public sealed class SqliteSyncStateStore : ISyncStateStore
{
    /// <summary>The schema version this build writes and the newest it reads (kept in <c>PRAGMA user_version</c>).</summary>
    public const int SchemaVersion = 1;

    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;

    private readonly string _connectionString;
    private readonly SemaphoreSlim _initialization = new(1, 1);
    private volatile bool _initialized;

    /// <summary>Creates the store; the file and its directory are created on first use.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="busyTimeout">How long a write waits for another connection's lock; the default is 30 seconds.</param>
    /// <exception cref="ArgumentException">The path is empty or the timeout is not between 1 second and 10 minutes.</exception>
    public SqliteSyncStateStore(string path, TimeSpan? busyTimeout = null)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException("A database file path is required.", nameof(path));
        }

        var timeout = busyTimeout ?? TimeSpan.FromSeconds(30);
        if (timeout < TimeSpan.FromSeconds(1) || timeout > TimeSpan.FromMinutes(10))
        {
            throw new ArgumentOutOfRangeException(nameof(busyTimeout), timeout, "The busy timeout must be between 1 second and 10 minutes.");
        }

        Path = System.IO.Path.GetFullPath(path);
        BusyTimeout = timeout;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,

            // Microsoft.Data.Sqlite retries SQLITE_BUSY until the command timeout runs out: this is the busy timeout.
            DefaultTimeout = (int)Math.Ceiling(timeout.TotalSeconds),
        }.ToString();
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>How long a statement waits for a lock held by another connection or process.</summary>
    public TimeSpan BusyTimeout { get; }

    /// <inheritdoc/>
    public async Task<SyncCheckpoint?> LoadAsync(string key, CancellationToken cancellationToken = default)
    {
        CheckKey(key);
        return await RunAsync(
            async connection =>
            {
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT folder, uid_validity, uid_next, highest_modseq, last_seen_uid, known_uids, known_flags, flag_count FROM checkpoints WHERE key = $key";
                command.Parameters.AddWithValue("$key", key);
                using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                return new SyncCheckpoint
                {
                    Folder = reader.GetString(0),
                    UidValidity = checked((uint)reader.GetInt64(1)),
                    UidNext = checked((uint)reader.GetInt64(2)),
                    HighestModSeq = unchecked((ulong)reader.GetInt64(3)),
                    LastSeenUid = checked((uint)reader.GetInt64(4)),
                    KnownUids = reader.GetString(5),
                    KnownFlags = reader.IsDBNull(6) ? null : ParseFlags(key, reader.GetString(6), reader.GetInt32(7)),
                };
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public Task SaveAsync(string key, SyncCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        CheckKey(key);
        if (checkpoint is null)
        {
            throw new ArgumentNullException(nameof(checkpoint));
        }

        return RunAsync(
            async connection =>
            {
                using var transaction = connection.BeginTransaction(deferred: false);
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = """
                    INSERT INTO checkpoints (key, folder, uid_validity, uid_next, highest_modseq, last_seen_uid, known_uids, known_flags, flag_count, saved_at)
                    VALUES ($key, $folder, $validity, $next, $modseq, $last, $uids, $flags, $count, $saved)
                    ON CONFLICT(key) DO UPDATE SET folder = excluded.folder, uid_validity = excluded.uid_validity,
                        uid_next = excluded.uid_next, highest_modseq = excluded.highest_modseq, last_seen_uid = excluded.last_seen_uid,
                        known_uids = excluded.known_uids, known_flags = excluded.known_flags, flag_count = excluded.flag_count,
                        saved_at = excluded.saved_at
                    """;
                command.Parameters.AddWithValue("$key", key);
                command.Parameters.AddWithValue("$folder", checkpoint.Folder);
                command.Parameters.AddWithValue("$validity", (long)checkpoint.UidValidity);
                command.Parameters.AddWithValue("$next", (long)checkpoint.UidNext);
                command.Parameters.AddWithValue("$modseq", unchecked((long)checkpoint.HighestModSeq));
                command.Parameters.AddWithValue("$last", (long)checkpoint.LastSeenUid);
                command.Parameters.AddWithValue("$uids", checkpoint.KnownUids);
                command.Parameters.AddWithValue("$flags", checkpoint.KnownFlags is null ? DBNull.Value : FormatFlags(checkpoint.KnownFlags));
                command.Parameters.AddWithValue("$count", checkpoint.KnownFlags?.Count ?? 0);
                command.Parameters.AddWithValue("$saved", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                transaction.Commit();
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc/>
    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        CheckKey(key);
        return RunAsync(
            async connection =>
            {
                using var command = connection.CreateCommand();
                command.CommandText = "DELETE FROM checkpoints WHERE key = $key";
                command.Parameters.AddWithValue("$key", key);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    /// <summary>Every key in the database, in ordinal order (for tools and tests).</summary>
    public Task<IReadOnlyList<string>> ListKeysAsync(CancellationToken cancellationToken = default)
        => RunAsync<IReadOnlyList<string>>(
            async connection =>
            {
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT key FROM checkpoints ORDER BY key COLLATE BINARY";
                using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                var keys = new List<string>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    keys.Add(reader.GetString(0));
                }

                return keys;
            },
            cancellationToken);

    /// <inheritdoc/>
    public override string ToString() => $"SqliteSyncStateStore({Path})";

    private async Task<T> RunAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            return await work(connection).ConfigureAwait(false);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteCorrupt or SqliteNotADatabase)
        {
            throw Damaged(ex);
        }
        catch (Exception ex) when (ex is OverflowException or InvalidCastException or FormatException)
        {
            throw new InvalidDataException($"The checkpoint database '{Path}' holds a damaged checkpoint: {ex.Message}", ex);
        }
    }

    private InvalidDataException Damaged(Exception ex)
        => new($"The checkpoint database '{Path}' is damaged or not a SQLite database ({ex.Message}). Restore it from a backup, or delete it to resync every folder from scratch.", ex);

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!_initialized)
        {
            await InitializeAsync(cancellationToken).ConfigureAwait(false);
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, $"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = FULL;", cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _initialization.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_initialized)
            {
                return;
            }

            var directory = System.IO.Path.GetDirectoryName(Path);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            using var connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, $"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds};", cancellationToken).ConfigureAwait(false);

            // WAL lets readers and one writer work at once across processes; the mode is stored in the file.
            var mode = await ScalarAsync(connection, "PRAGMA journal_mode = WAL;", cancellationToken).ConfigureAwait(false);
            if (!string.Equals(Convert.ToString(mode, CultureInfo.InvariantCulture), "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"The checkpoint database '{Path}' cannot use WAL mode (journal mode '{mode}'); is it on a network file system?");
            }

            // IMMEDIATE: two processes creating the schema at once serialize here instead of both creating it.
            using (var transaction = connection.BeginTransaction(deferred: false))
            {
                var version = Convert.ToInt32(await ScalarAsync(connection, "PRAGMA user_version;", cancellationToken, transaction).ConfigureAwait(false), CultureInfo.InvariantCulture);
                if (version > SchemaVersion)
                {
                    throw new InvalidDataException($"The checkpoint database '{Path}' has schema version {version}, written by a newer ImapRx; this version reads up to {SchemaVersion}. Upgrade ImapRx.Sqlite or use another file.");
                }

                if (version == 0)
                {
                    var tables = Convert.ToInt64(await ScalarAsync(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table'", cancellationToken, transaction).ConfigureAwait(false), CultureInfo.InvariantCulture);
                    if (tables > 0)
                    {
                        throw new InvalidDataException($"The file '{Path}' is a SQLite database of something else (it has tables but no ImapRx schema version); refusing to write checkpoints into it.");
                    }

                    await ExecuteAsync(
                        connection,
                        $"""
                        CREATE TABLE checkpoints (
                            key TEXT NOT NULL PRIMARY KEY,
                            folder TEXT NOT NULL,
                            uid_validity INTEGER NOT NULL,
                            uid_next INTEGER NOT NULL,
                            highest_modseq INTEGER NOT NULL,
                            last_seen_uid INTEGER NOT NULL,
                            known_uids TEXT NOT NULL,
                            known_flags TEXT NULL,
                            flag_count INTEGER NOT NULL,
                            saved_at TEXT NOT NULL);
                        PRAGMA user_version = {SchemaVersion};
                        """,
                        cancellationToken,
                        transaction).ConfigureAwait(false);
                }

                transaction.Commit();
            }

            _initialized = true;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteCorrupt or SqliteNotADatabase)
        {
            throw Damaged(ex);
        }
        finally
        {
            _initialization.Release();
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void CheckKey(string key)
    {
        if (string.IsNullOrEmpty(key))
        {
            throw new ArgumentException("A checkpoint key is required.", nameof(key));
        }
    }

    // One "uid<TAB>flags" line per message; flag names never contain tabs or line breaks (RFC 3501 atoms).
    private static string FormatFlags(IReadOnlyDictionary<uint, string> flags)
    {
        var text = new StringBuilder();
        foreach (var entry in flags.OrderBy(e => e.Key))
        {
            text.Append(entry.Key.ToString(CultureInfo.InvariantCulture)).Append('\t').Append(entry.Value).Append('\n');
        }

        return text.ToString();
    }

    private Dictionary<uint, string> ParseFlags(string key, string text, int count)
    {
        var flags = new Dictionary<uint, string>();
        foreach (var line in text.Split(new[] { '\n' }, StringSplitOptions.RemoveEmptyEntries))
        {
            var tab = line.IndexOf('\t');
            if (tab <= 0 || !uint.TryParse(line.Substring(0, tab), NumberStyles.None, CultureInfo.InvariantCulture, out var uid))
            {
                throw new InvalidDataException($"The checkpoint database '{Path}' has a damaged flag entry under key '{key}'.");
            }

            flags[uid] = line.Substring(tab + 1);
        }

        if (flags.Count != count)
        {
            throw new InvalidDataException($"The checkpoint database '{Path}' is damaged under key '{key}': {count} flag entries announced, {flags.Count} found.");
        }

        return flags;
    }
}
