using System;
using ImapRx.Model;
using ImapRx.Sync;

namespace ImapRx;

public sealed partial class ImapRxClient
{
    /// <summary>
    /// Cold: the changes to <paramref name="folder"/> since the checkpoint in <paramref name="store"/>, then a new
    /// checkpoint. First run: every message as <see cref="MessagesArrived"/>. Later runs: expunges, flag changes and
    /// arrivals above the last UID seen. With QRESYNC (<see cref="Configuration.ImapAccountOptions.UseQuickResync"/>)
    /// the EXAMINE itself reports expunges (VANISHED) and flag changes; otherwise expunges come from comparing UID
    /// sets and flag changes from CONDSTORE CHANGEDSINCE, or from comparing every message's flags without CONDSTORE.
    /// A flag change is reported only for a message an earlier run reported whose flags really differ from what was
    /// reported last. When UIDVALIDITY changed it emits <see cref="UidValidityChanged"/> (the reset) and resyncs from
    /// scratch, never applying old UIDs to the new folder. The checkpoint is saved only after every event was
    /// delivered, so a crash means re-delivery, never loss.
    /// </summary>
    public IObservable<MailboxEvent> Sync(string folder, ISyncStateStore store, SyncOptions? options = null)
    {
        CheckFolderName(folder);
        if (store is null)
        {
            throw new ArgumentNullException(nameof(store));
        }

        options ??= new SyncOptions();
        var operation = new SyncOperation(Context, folder, store, options.Key ?? $"{Account.AccountKey}/{folder}", options.IncludeSummaries, options.BatchSize);
        ThrowIfDisposed();

        // Not retried: a re-run starts again from the last saved checkpoint, which the caller does by resubscribing.
        return Operations.Leased.Run<MailboxEvent>(Context, $"Sync of '{folder}'", retry: false, operation.RunAsync);
    }
}
