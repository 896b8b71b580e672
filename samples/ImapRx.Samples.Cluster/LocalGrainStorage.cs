using System.Collections.Concurrent;
using System.Globalization;
using Orleans.Runtime;
using Orleans.Storage;

namespace ImapRx.Samples.Cluster;

/// <summary>
/// Grain storage for silos that share one process: a table outside every silo, so an account's checkpoints outlive
/// the silo that wrote them, as they would in a database. Optimistic concurrency by ETag, like Orleans' own
/// providers: a write from a stale activation fails with <see cref="InconsistentStateException"/>. Each silo
/// serializes with its own serializer, so no silo ever holds another's objects. In production: ADO.NET, Redis,
/// Azure Storage (docs/scale.md).
/// </summary>
public sealed class LocalGrainStorage
{
    private readonly ConcurrentDictionary<(string State, GrainId Grain), (long ETag, byte[] Payload)> _rows = new();

    /// <summary>How many grain states are stored.</summary>
    public int Count => _rows.Count;

    /// <summary>The storage provider of one silo over this shared table.</summary>
    public IGrainStorage For(IGrainStorageSerializer serializer) => new Provider(this, serializer);

    private sealed class Provider(LocalGrainStorage table, IGrainStorageSerializer serializer) : IGrainStorage
    {
        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            if (table._rows.TryGetValue((stateName, grainId), out var row))
            {
                grainState.State = serializer.Deserialize<T>(new BinaryData(row.Payload));
                grainState.ETag = row.ETag.ToString(CultureInfo.InvariantCulture);
                grainState.RecordExists = true;
            }
            else
            {
                grainState.State = Activator.CreateInstance<T>();
                grainState.ETag = null;
                grainState.RecordExists = false;
            }

            return Task.CompletedTask;
        }

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            var payload = serializer.Serialize(grainState.State).ToArray();
            var key = (stateName, grainId);
            long next;
            if (grainState.ETag is null)
            {
                next = 1;
                if (!table._rows.TryAdd(key, (next, payload)))
                {
                    throw new InconsistentStateException($"State of {grainId} was written by another activation (no ETag expected).");
                }
            }
            else
            {
                var expected = long.Parse(grainState.ETag, CultureInfo.InvariantCulture);
                next = expected + 1;
                if (!table._rows.TryGetValue(key, out var current) || current.ETag != expected || !table._rows.TryUpdate(key, (next, payload), current))
                {
                    throw new InconsistentStateException($"State of {grainId} was written by another activation (ETag {grainState.ETag}).");
                }
            }

            grainState.ETag = next.ToString(CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
            return Task.CompletedTask;
        }

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            table._rows.TryRemove((stateName, grainId), out _);
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return Task.CompletedTask;
        }
    }
}
