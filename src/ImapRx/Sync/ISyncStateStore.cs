using System.Threading;
using System.Threading.Tasks;

namespace ImapRx.Sync;

/// <summary>Keeps sync checkpoints between runs. Implementations must be safe to call from several threads.</summary>
public interface ISyncStateStore
{
    /// <summary>The checkpoint saved under <paramref name="key"/>, or null when there is none.</summary>
    Task<SyncCheckpoint?> LoadAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Saves (replaces) the checkpoint under <paramref name="key"/>; atomic: a crash leaves the old one or the new one.</summary>
    Task SaveAsync(string key, SyncCheckpoint checkpoint, CancellationToken cancellationToken = default);

    /// <summary>Forgets the checkpoint under <paramref name="key"/>.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken = default);
}
