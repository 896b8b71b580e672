using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace ImapRx.Sync;

/// <summary>Checkpoints in memory (tests, short-lived processes).</summary>
public sealed class InMemorySyncStateStore : ISyncStateStore
{
    private readonly ConcurrentDictionary<string, SyncCheckpoint> _checkpoints = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public Task<SyncCheckpoint?> LoadAsync(string key, CancellationToken cancellationToken = default)
        => Task.FromResult(_checkpoints.TryGetValue(SyncKeys.Check(key), out var checkpoint) ? checkpoint : null);

    /// <inheritdoc/>
    public Task SaveAsync(string key, SyncCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        _checkpoints[SyncKeys.Check(key)] = checkpoint ?? throw new ArgumentNullException(nameof(checkpoint));
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        _checkpoints.TryRemove(SyncKeys.Check(key), out _);
        return Task.CompletedTask;
    }
}
