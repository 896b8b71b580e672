using System.Threading;
using System.Threading.Tasks;

namespace ImapRx.Orleans;

/// <summary>
/// Where an account grain hands its events: called on the silo that hosts the account, inside the grain's turn,
/// one batch per folder sync. The checkpoint moves only after this returns, so a handler that throws (or a silo
/// that dies before the checkpoint is written) gets the batch again: at-least-once. A batch may repeat events
/// already handled; remove duplicates by (folder, UIDVALIDITY, UID). To reach other grains or a stream, call
/// them from here and await the call.
/// </summary>
public interface IImapEventHandler
{
    /// <summary>Handles one batch; return only once the events are safely with the application.</summary>
    Task HandleAsync(ImapEventBatch batch, CancellationToken cancellationToken);
}
