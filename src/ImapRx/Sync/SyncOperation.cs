using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ImapRx.Mailbox;
using ImapRx.Model;
using ImapRx.Pooling;
using MailKit;
using MailKit.Search;

namespace ImapRx.Sync;

/// <summary>
/// One run of <c>Sync</c>: the checkpoint becomes a folder ledger, the ledger is resynchronised with the server
/// (QRESYNC, CONDSTORE or comparison, whichever the connection and the checkpoint allow) and emits the changes, and
/// the ledger becomes the next checkpoint, saved only after every event was delivered.
/// </summary>
internal sealed class SyncOperation
{
    private readonly ClientContext _context;
    private readonly string _folder;
    private readonly ISyncStateStore _store;
    private readonly string _key;
    private readonly FolderResync _resync;

    internal SyncOperation(ClientContext context, string folder, ISyncStateStore store, string key, bool includeSummaries, int batchSize)
    {
        _context = context;
        _folder = folder;
        _store = store;
        _key = key;
        _resync = new FolderResync(FirstLook.Arrive, includeSummaries, batchSize);
    }

    internal async Task RunAsync(ImapLease lease, IObserver<MailboxEvent> observer, CancellationToken cancellationToken)
    {
        void Emit(MailboxEvent value) => observer.OnNext(value with { Folder = _folder, Timestamp = _context.Scheduler.Now });

        var checkpoint = await NotAConnectionFailure.Run(() => _store.LoadAsync(_key, cancellationToken)).ConfigureAwait(false);
        var ledger = checkpoint is null ? new FolderLedger(Emit) : FolderLedger.Restore(ToLedger(checkpoint), Emit);
        await using (var opener = new LeaseMailboxOpener(lease, _folder, _context.Account.UseQuickResync, context: _context))
        {
            await _resync.RunAsync(opener, ledger, cancellationToken).ConfigureAwait(false);
        }

        // Every event above has been delivered (OnNext returned): only now may the checkpoint move. A subscriber
        // that failed or unsubscribed meanwhile cancelled the token, and then the checkpoint must stay where it was.
        cancellationToken.ThrowIfCancellationRequested();
        await NotAConnectionFailure.Run(() => _store.SaveAsync(_key, ToCheckpoint(_folder, ledger.Save()), cancellationToken)).ConfigureAwait(false);
    }

    internal static LedgerState ToLedger(SyncCheckpoint checkpoint) => new()
    {
        UidValidity = checkpoint.UidValidity,
        UidNext = checkpoint.UidNext,
        HighestModSeq = checkpoint.HighestModSeq,
        LastUid = checkpoint.LastSeenUid,
        Uids = UniqueIdSet.TryParse(checkpoint.KnownUids, out var parsed) ? parsed.Select(u => u.Id).OrderBy(u => u).ToList() : new List<uint>(),
        Flags = checkpoint.KnownFlags,
    };

    internal static SyncCheckpoint ToCheckpoint(string folder, LedgerState state) => new()
    {
        Folder = folder,
        UidValidity = state.UidValidity,
        UidNext = state.UidNext,
        HighestModSeq = state.HighestModSeq,
        LastSeenUid = state.LastUid,
        KnownUids = new UniqueIdSet(state.Uids.Select(u => new UniqueId(u)), SortOrder.Ascending).ToString(),
        KnownFlags = state.Flags,
    };
}
