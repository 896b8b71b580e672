using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ImapRx.Mailbox;
using ImapRx.Model;
using ImapRx.Pooling;
using MailKit;

namespace ImapRx.Watching;

/// <summary>
/// One watched folder on one dedicated connection: IDLE (or polling), restarts, reconnects with backoff and
/// gap filling. What the server says live goes straight into the folder's ledger; each connection starts with a
/// resynchronisation (QRESYNC where the connection has it), so the gap is filled from what was last reported.
/// </summary>
internal sealed class FolderWatcher
{
    private readonly ClientContext _context;
    private readonly string _folder;
    private readonly WatchOptions _options;

    internal FolderWatcher(ClientContext context, string folder, WatchOptions options)
    {
        _context = context;
        _folder = folder;
        _options = options;
    }

    internal Task RunAsync(IObserver<MailboxEvent> observer, WatchRun run)
    {
        var watched = new WatchedFolder(_folder, _options, _context.Scheduler, observer);
        return WatchLoop.RunWithReconnectsAsync(
            _context,
            _options,
            (resynchronised, ct) => RunConnectedAsync(watched, run, resynchronised, ct),
            watched.MarkLost,
            watched.Status,
            run.Token);
    }

    private async Task RunConnectedAsync(WatchedFolder watched, WatchRun run, Action resynchronised, CancellationToken cancellationToken)
    {
        // IDLE holds its connection exclusively; the pool closes it on release instead of reusing it.
        await using var lease = await _context.Pool.LeaseForIdleAsync(_context.Account, cancellationToken).ConfigureAwait(false);
        run.SetConnected(true);
        try
        {
            run.ThrowIfClosing();
            await using var opener = new LeaseMailboxOpener(lease, _folder, _context.Account.UseQuickResync, () => watched.Status(new WatchConnected { ConnectionId = lease.ConnectionId }), _context);
            var folder = await watched.ResynchronizeAsync(opener, cancellationToken).ConfigureAwait(false);
            resynchronised();
            await WatchLiveAsync(lease, folder, watched, run, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not WatchClosedException)
        {
            run.OnFailure();
            lease.Fail(ex);
            throw;
        }
        finally
        {
            run.SetConnected(false);
        }
    }

    private async Task WatchLiveAsync(ImapLease lease, IMailFolder folder, WatchedFolder watched, WatchRun run, CancellationToken cancellationToken)
    {
        var ledger = watched.Ledger;
        var arrivals = false;
        CancellationTokenSource? idleStop = null;

        void OnCountChanged(object? sender, EventArgs e)
        {
            arrivals = true;
            idleStop?.Cancel(); // end IDLE now so the new messages are fetched at once
        }

        // EXPUNGE by sequence number, VANISHED by UID on QRESYNC connections: only what the ledger announced is
        // reported; a message that came and went before it was fetched was never announced, so it is not expunged.
        void OnExpunged(object? sender, MessageEventArgs e) => ledger.ExpungeAt(e.Index);

        void OnVanished(object? sender, MessagesVanishedEventArgs e) => ledger.Expunge(e.UniqueIds.Select(u => u.Id));

        void OnFlagsChanged(object? sender, MessageFlagsChangedEventArgs e)
        {
            var uid = e.UniqueId?.Id ?? (e.Index < ledger.Count ? ledger.Uids[e.Index] : 0);
            if (uid != 0)
            {
                ledger.ObserveFlags(uid, FlagState.From(e.Flags, e.Keywords, e.ModSeq));
            }
        }

        folder.CountChanged += OnCountChanged;
        folder.MessageExpunged += OnExpunged;
        folder.MessagesVanished += OnVanished;
        folder.MessageFlagsChanged += OnFlagsChanged;
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                run.ThrowIfClosing();
                if (arrivals || folder.Count != ledger.Count)
                {
                    arrivals = false;
                    await watched.CatchUpAsync(folder, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                await WatchLoop.WaitForChangesAsync(
                    _context,
                    lease,
                    _options,
                    $"'{_folder}'",
                    stop =>
                    {
                        idleStop = stop;
                        run.PublishIdleStop(stop);
                    },
                    polling => watched.Status(new WatchIdling { IsPolling = polling }),
                    cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            folder.CountChanged -= OnCountChanged;
            folder.MessageExpunged -= OnExpunged;
            folder.MessagesVanished -= OnVanished;
            folder.MessageFlagsChanged -= OnFlagsChanged;
        }
    }
}
