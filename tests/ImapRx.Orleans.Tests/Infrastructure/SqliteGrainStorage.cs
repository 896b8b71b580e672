using System.Globalization;
using Microsoft.Data.Sqlite;
using Orleans.Runtime;
using Orleans.Storage;

namespace ImapRx.Orleans.Tests.Infrastructure;

/// <summary>
/// Grain storage in one SQLite file, outside every silo, so state survives a killed silo the way a database
/// would. Optimistic concurrency by ETag: a write from a stale activation fails with InconsistentStateException.
/// </summary>
internal sealed class SqliteGrainStorage(string path, IGrainStorageSerializer serializer) : IGrainStorage
{
    private readonly string _connectionString = new SqliteConnectionStringBuilder { DataSource = path, DefaultTimeout = 30 }.ToString();

    public static void Create(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        Execute(connection, "PRAGMA journal_mode = WAL; CREATE TABLE IF NOT EXISTS grains (state_name TEXT NOT NULL, grain_id TEXT NOT NULL, etag INTEGER NOT NULL, payload BLOB NOT NULL, PRIMARY KEY (state_name, grain_id));");
    }

    public static IReadOnlyList<byte[]> ReadAllPayloads(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT payload FROM grains";
        using var reader = command.ExecuteReader();
        var payloads = new List<byte[]>();
        while (reader.Read())
        {
            payloads.Add((byte[])reader[0]);
        }

        return payloads;
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT etag, payload FROM grains WHERE state_name = $s AND grain_id = $g";
        command.Parameters.AddWithValue("$s", stateName);
        command.Parameters.AddWithValue("$g", grainId.ToString());
        using var reader = await command.ExecuteReaderAsync();
        if (await reader.ReadAsync())
        {
            grainState.ETag = reader.GetInt64(0).ToString(CultureInfo.InvariantCulture);
            grainState.State = serializer.Deserialize<T>(new BinaryData((byte[])reader[1]));
            grainState.RecordExists = true;
        }
        else
        {
            grainState.ETag = null;
            grainState.State = Activator.CreateInstance<T>();
            grainState.RecordExists = false;
        }
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var payload = serializer.Serialize(grainState.State).ToArray();
        using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync();
        using var command = connection.CreateCommand();
        var next = grainState.ETag is null ? 1 : long.Parse(grainState.ETag, CultureInfo.InvariantCulture) + 1;
        command.CommandText = grainState.ETag is null
            ? "INSERT INTO grains (state_name, grain_id, etag, payload) VALUES ($s, $g, $next, $p) ON CONFLICT DO NOTHING"
            : "UPDATE grains SET etag = $next, payload = $p WHERE state_name = $s AND grain_id = $g AND etag = $old";
        command.Parameters.AddWithValue("$s", stateName);
        command.Parameters.AddWithValue("$g", grainId.ToString());
        command.Parameters.AddWithValue("$next", next);
        command.Parameters.AddWithValue("$p", payload);
        command.Parameters.AddWithValue("$old", grainState.ETag is null ? 0 : long.Parse(grainState.ETag, CultureInfo.InvariantCulture));
        if (await command.ExecuteNonQueryAsync() != 1)
        {
            throw new InconsistentStateException($"State of {grainId} was written by another activation (ETag {grainState.ETag}).");
        }

        grainState.ETag = next.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM grains WHERE state_name = $s AND grain_id = $g";
        command.Parameters.AddWithValue("$s", stateName);
        command.Parameters.AddWithValue("$g", grainId.ToString());
        await command.ExecuteNonQueryAsync();
        grainState.ETag = null;
        grainState.State = Activator.CreateInstance<T>();
        grainState.RecordExists = false;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
