using ImapRx.Model;
using ImapRx.Orleans;
using Orleans.Runtime;

namespace ImapRx.Samples.Cluster;

/// <summary>One message the application accepted: which account, its (UIDVALIDITY, UID), on which silo, when.</summary>
public sealed record HandledMessage(string AccountId, uint UidValidity, uint Uid, string Silo, DateTimeOffset At);

/// <summary>
/// What the application received, from every silo. Delivery is at-least-once, so a message may come twice (the
/// silo died between handing it over and saving the checkpoint); (account, UIDVALIDITY, UID) identifies it.
/// </summary>
public sealed class HandledMessages
{
    private readonly object _gate = new();
    private readonly List<HandledMessage> _all = new();

    /// <summary>Called after each accepted batch with the silo address, the account and the UIDs (for printing).</summary>
    public Action<string, string, IReadOnlyList<uint>>? BatchHandled { get; set; }

    /// <summary>Records the arrivals of one batch.</summary>
    public void Add(string silo, ImapEventBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var uids = new List<uint>();
        lock (_gate)
        {
            foreach (var arrived in batch.Events.OfType<MessagesArrived>())
            {
                foreach (var uid in arrived.Uids)
                {
                    _all.Add(new HandledMessage(batch.AccountId, arrived.UidValidity, uid, silo, DateTimeOffset.UtcNow));
                    uids.Add(uid);
                }
            }
        }

        if (uids.Count > 0)
        {
            BatchHandled?.Invoke(silo, batch.AccountId, uids);
        }
    }

    /// <summary>Everything handled so far, repeats included.</summary>
    public IReadOnlyList<HandledMessage> Snapshot()
    {
        lock (_gate)
        {
            return _all.ToList();
        }
    }
}

/// <summary>The application's handler on every silo: accepts each batch into <see cref="HandledMessages"/>.</summary>
public sealed class RecordingHandler(HandledMessages handled, ILocalSiloDetails silo) : IImapEventHandler
{
    /// <inheritdoc />
    public Task HandleAsync(ImapEventBatch batch, CancellationToken cancellationToken)
    {
        handled.Add(silo.SiloAddress.ToString(), batch);
        return Task.CompletedTask; // returning is the promise that the events are safe: the checkpoint moves now
    }
}
