using System;
using System.Collections.Generic;
using System.Linq;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Threading;
using System.Threading.Tasks;
using ImapRx.Internal;
using ImapRx.Model;
using ImapRx.Pooling;
using ImapRx.Resilience;
using MailKit;
using MailKit.Net.Imap;

namespace ImapRx.Watching;

/// <summary>
/// One watched folder on one dedicated connection: IDLE (or polling), restarts, reconnects with backoff and
/// gap filling. Its UID bookkeeping outlives connections, which is what makes "exactly once" possible.
/// </summary>
internal sealed class FolderWatcher
{
    private readonly ClientContext _client;
    private readonly string _folder;
    private readonly WatchOptions _options;
    private readonly IScheduler _scheduler;
    private List<uint> _uids = new(); // in sequence-number order, so index i is message i+1
    private uint _uidValidity;
    private uint _lastUid;
    private ulong _highestModSeq;
    private Dictionary<uint, string>? _flags; // only without CONDSTORE: flag changes are found by comparison
    private bool _initialized;
    private DateTimeOffset? _lostAt;

    internal FolderWatcher(ClientContext client, string folder, WatchOptions options)
    {
        _client = client;
        _folder = folder;
        _options = options;
        _scheduler = client.Scheduler;
    }

    internal Task RunAsync(IObserver<MailboxEvent> observer, CancellationToken cancellationToken)
        => WatchLoop.RunWithReconnectsAsync(
            _client,
            _options,
            (resynchronised, ct) => RunConnectedAsync(observer, resynchronised, ct),
            MarkLost,
            reconnecting => Status(observer, reconnecting),
            cancellationToken);

    /// <summary>The connection is gone: what happens from now until the next resynchronisation is a gap to fill.</summary>
    internal void MarkLost() => _lostAt ??= _scheduler.Now;

    private async Task RunConnectedAsync(IObserver<MailboxEvent> observer, Action connected, CancellationToken cancellationToken)
    {
        // IDLE holds its connection exclusively; the pool closes it on release instead of reusing it.
        await using var lease = await _client.Pool.LeaseForIdleAsync(_client.Account, cancellationToken).ConfigureAwait(false);
        try
        {
            var folder = await lease.OpenFolderAsync(_folder, FolderAccess.ReadOnly, cancellationToken).ConfigureAwait(false);
            Status(observer, new WatchConnected { ConnectionId = lease.ConnectionId });
            await SynchronizeAsync(folder, observer, cancellationToken).ConfigureAwait(false);
            connected();
            await WatchLoopAsync(lease, folder, observer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            lease.Fail(ex);
            throw;
        }
    }

    private async Task WatchLoopAsync(ImapLease lease, IMailFolder folder, IObserver<MailboxEvent> observer, CancellationToken cancellationToken)
    {
        var client = lease.Client;
        var arrivals = false;
        CancellationTokenSource? idleStop = null;

        void OnCountChanged(object? sender, EventArgs e)
        {
            arrivals = true;
            idleStop?.Cancel(); // end IDLE now so the new messages are fetched at once
        }

        void OnExpunged(object? sender, MessageEventArgs e)
        {
            if (e.Index < _uids.Count)
            {
                var uid = _uids[e.Index];
                _uids.RemoveAt(e.Index);
                _flags?.Remove(uid);
                Emit(observer, new MessagesExpunged { Uids = new[] { uid } });
            }
        }

        void OnVanished(object? sender, MessagesVanishedEventArgs e)
        {
            // QRESYNC connections report expunges by UID. Only UIDs this watch announced are its to report; a
            // message that came and went before it was fetched was never announced, so it is not expunged either.
            var gone = new List<uint>();
            foreach (var uid in e.UniqueIds.Select(u => u.Id).OrderBy(u => u))
            {
                var index = _uids.BinarySearch(uid);
                if (index >= 0)
                {
                    _uids.RemoveAt(index);
                    _flags?.Remove(uid);
                    gone.Add(uid);
                }
            }

            if (gone.Count > 0)
            {
                Emit(observer, new MessagesExpunged { Uids = gone });
            }
        }

        void OnFlagsChanged(object? sender, MessageFlagsChangedEventArgs e)
        {
            var uid = e.UniqueId?.Id ?? (e.Index < _uids.Count ? _uids[e.Index] : 0);
            if (uid == 0 || uid > _lastUid)
            {
                return; // a message we have not announced yet; its arrival will carry its flags
            }

            if (e.ModSeq is { } modSeq && modSeq > _highestModSeq)
            {
                _highestModSeq = modSeq;
            }

            if (_flags is not null)
            {
                _flags[uid] = FolderQueries.FlagKey(e.Flags, e.Keywords);
            }

            Emit(observer, FolderQueries.FlagChange(uid, e.Flags, e.Keywords, e.ModSeq));
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
                if (arrivals || folder.Count != _uids.Count)
                {
                    arrivals = false;
                    await CatchUpAsync(folder, observer, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                await WatchLoop.WaitForChangesAsync(
                    _client,
                    lease,
                    _options,
                    $"'{_folder}'",
                    stop => idleStop = stop,
                    polling => Status(observer, new WatchIdling { IsPolling = polling }),
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

    /// <summary>Brings the UID list up to date: new UIDs above the last one, and a full comparison if counts still differ.</summary>
    private async Task CatchUpAsync(IMailFolder folder, IObserver<MailboxEvent> observer, CancellationToken cancellationToken)
    {
        var newer = await FolderQueries.UidsAfterAsync(folder, _lastUid, cancellationToken).ConfigureAwait(false);
        if (newer.Count > 0)
        {
            _uids.AddRange(newer);
            _lastUid = newer[newer.Count - 1];
            if (_flags is not null)
            {
                foreach (var entry in await FolderQueries.FlagsAsync(folder, newer, cancellationToken).ConfigureAwait(false))
                {
                    _flags[entry.Key] = entry.Value;
                }
            }

            await EmitArrivalsAsync(folder, newer, observer, cancellationToken).ConfigureAwait(false);
        }

        if (folder.Count != _uids.Count)
        {
            var current = await FolderQueries.UidsAfterAsync(folder, 0, cancellationToken).ConfigureAwait(false);
            var currentSet = new HashSet<uint>(current);
            var gone = _uids.Where(u => !currentSet.Contains(u)).ToList();
            _uids = current;
            foreach (var uid in gone)
            {
                _flags?.Remove(uid);
            }

            if (gone.Count > 0)
            {
                Emit(observer, new MessagesExpunged { Uids = gone });
            }
        }
    }

    /// <summary>First connection: learn the folder. Reconnect: emit what changed while we were away, once, in order.</summary>
    internal async Task SynchronizeAsync(IMailFolder folder, IObserver<MailboxEvent> observer, CancellationToken cancellationToken)
    {
        var current = await FolderQueries.UidsAfterAsync(folder, 0, cancellationToken).ConfigureAwait(false);
        if (!_initialized || folder.UidValidity != _uidValidity)
        {
            if (_initialized)
            {
                Emit(observer, new UidValidityChanged { OldValue = _uidValidity, NewValue = folder.UidValidity }, folder.UidValidity);
            }

            _initialized = true;
            _uidValidity = folder.UidValidity;
            _uids = current;
            _lastUid = current.Count > 0 ? current[current.Count - 1] : 0;
            _highestModSeq = folder.HighestModSeq;
            _flags = folder.Supports(FolderFeature.ModSequences) ? null : await FolderQueries.FlagsAsync(folder, null, cancellationToken).ConfigureAwait(false);
            ReportResumed(observer, 0, 0, 0);
            return;
        }

        var currentSet = new HashSet<uint>(current);
        var expunged = _uids.Where(u => !currentSet.Contains(u)).ToList();
        var arrived = current.Where(u => u > _lastUid).ToList();
        var flagChanges = 0;
        if (expunged.Count > 0)
        {
            Emit(observer, new MessagesExpunged { Uids = expunged });
        }

        List<FlagsChanged> changes;
        if (folder.Supports(FolderFeature.ModSequences))
        {
            changes = await FolderQueries.FlagChangesSinceAsync(folder, _highestModSeq, _lastUid, cancellationToken).ConfigureAwait(false);
            _flags = null;
        }
        else
        {
            var now = await FolderQueries.FlagsAsync(folder, null, cancellationToken).ConfigureAwait(false);
            changes = _flags is null ? new List<FlagsChanged>() : FolderQueries.CompareFlags(_flags, now, _lastUid);
            _flags = now;
        }

        foreach (var change in changes)
        {
            flagChanges++;
            Emit(observer, change);
        }

        _uids = current;
        _highestModSeq = folder.HighestModSeq;
        if (arrived.Count > 0)
        {
            _lastUid = arrived[arrived.Count - 1];
            await EmitArrivalsAsync(folder, arrived, observer, cancellationToken).ConfigureAwait(false);
        }

        ReportResumed(observer, arrived.Count, expunged.Count, flagChanges);
    }

    private void ReportResumed(IObserver<MailboxEvent> observer, int arrived, int expunged, int flagChanges)
    {
        if (_lostAt is { } lostAt)
        {
            _lostAt = null;
            Status(observer, new WatchResumed { Gap = _scheduler.Now - lostAt, Arrived = arrived, Expunged = expunged, FlagChanges = flagChanges });
        }
    }

    private async Task EmitArrivalsAsync(IMailFolder folder, List<uint> uids, IObserver<MailboxEvent> observer, CancellationToken cancellationToken)
    {
        var messages = _options.IncludeSummaries ? await FolderQueries.SummariesAsync(folder, uids, cancellationToken).ConfigureAwait(false) : null;
        Emit(observer, new MessagesArrived { Uids = uids, Messages = messages });
    }

    private void Emit(IObserver<MailboxEvent> observer, MailboxEvent value, uint? uidValidity = null)
        => observer.OnNext(value with { Folder = _folder, UidValidity = uidValidity ?? _uidValidity, Timestamp = _scheduler.Now });

    internal void Status(IObserver<MailboxEvent> observer, MailboxEvent value)
    {
        if (_options.IncludeStatusEvents)
        {
            Emit(observer, value);
        }
    }
}
