using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ImapRx.Internal;
using ImapRx.Model;
using ImapRx.Sync;
using MailKit;
using MailKit.Search;

namespace ImapRx;

public sealed partial class ImapRxClient
{
    /// <summary>
    /// Cold: the changes to <paramref name="folder"/> since the checkpoint in <paramref name="store"/>, then a new
    /// checkpoint. First run: every message as <see cref="MessagesArrived"/>. Later runs: expunges, flag changes and
    /// arrivals above the last UID seen. With QRESYNC (<see cref="Configuration.ImapAccountOptions.UseQuickResync"/>)
    /// the EXAMINE itself reports expunges (VANISHED) and flag changes; otherwise expunges come from comparing UID
    /// sets and flag changes from CONDSTORE CHANGEDSINCE, or from comparing every message's flags without CONDSTORE.
    /// When UIDVALIDITY changed it emits <see cref="UidValidityChanged"/> (the reset) and resyncs from scratch,
    /// never applying old UIDs to the new folder. The checkpoint is saved only after every event was delivered,
    /// so a crash means re-delivery, never loss.
    /// </summary>
    public IObservable<MailboxEvent> Sync(string folder, ISyncStateStore store, SyncOptions? options = null)
    {
        CheckFolderName(folder);
        if (store is null)
        {
            throw new ArgumentNullException(nameof(store));
        }

        options ??= new SyncOptions();
        var key = options.Key ?? $"{Account.AccountKey}/{folder}";
        var syncOptions = options;
        return WithLease<MailboxEvent>(folder, (lease, observer, cancellationToken) => SyncAsync(lease, folder, store, key, syncOptions, observer, cancellationToken));
    }

    private async Task SyncAsync(Pooling.ImapLease lease, string folder, ISyncStateStore store, string key, SyncOptions options, IObserver<MailboxEvent> observer, CancellationToken cancellationToken)
    {
        var checkpoint = await store.LoadAsync(key, cancellationToken).ConfigureAwait(false);
        var known = checkpoint is null ? new List<uint>() : KnownUids(checkpoint);
        IMailFolder mailFolder;
        QuickResyncReport? report = null;
        if (checkpoint is { HighestModSeq: > 0 } && Account.UseQuickResync && lease.Client.Capabilities.HasFlag(MailKit.Net.Imap.ImapCapabilities.QuickResync))
        {
            mailFolder = await lease.GetFolderAsync(folder, cancellationToken).ConfigureAwait(false);
            report = await QuickResyncReport.OpenAsync(lease, mailFolder, checkpoint, known, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            mailFolder = await lease.OpenFolderAsync(folder, FolderAccess.ReadOnly, cancellationToken).ConfigureAwait(false);
        }

        var validity = mailFolder.UidValidity;
        MailboxEvent Stamp(MailboxEvent e) => e with { Folder = folder, UidValidity = validity, Timestamp = Scheduler.Now };

        if (checkpoint is not null && checkpoint.UidValidity != validity)
        {
            // A different folder under the same name: the server ignored the QRESYNC data, and old UIDs mean nothing.
            observer.OnNext(Stamp(new UidValidityChanged { OldValue = checkpoint.UidValidity, NewValue = validity }));
            checkpoint = null;
            report = null;
        }

        List<uint> current;
        Dictionary<uint, string>? knownFlags = null;
        List<uint> arrived;
        if (checkpoint is not null && report is not null)
        {
            // QRESYNC: the EXAMINE itself said what was expunged and which flags changed; only arrivals need a search.
            if (report.Expunged.Count > 0)
            {
                observer.OnNext(Stamp(new MessagesExpunged { Uids = report.Expunged }));
            }

            foreach (var change in report.FlagChanges(checkpoint.LastSeenUid))
            {
                observer.OnNext(Stamp(change));
            }

            arrived = await FolderQueries.UidsAfterAsync(mailFolder, checkpoint.LastSeenUid, cancellationToken).ConfigureAwait(false);
            var gone = new HashSet<uint>(report.Expunged);
            current = known.Where(u => !gone.Contains(u)).Concat(arrived).ToList();
        }
        else
        {
            current = await FolderQueries.UidsAfterAsync(mailFolder, 0, cancellationToken).ConfigureAwait(false);

            // Without CONDSTORE the only way to see flag changes is to keep every message's flags and compare.
            knownFlags = mailFolder.Supports(FolderFeature.ModSequences) ? null : await FolderQueries.FlagsAsync(mailFolder, null, cancellationToken).ConfigureAwait(false);
            arrived = checkpoint is null ? current : await ChangesByComparisonAsync(mailFolder, checkpoint, known, current, knownFlags, Stamp, observer, cancellationToken).ConfigureAwait(false);
        }

        for (var offset = 0; offset < arrived.Count; offset += options.BatchSize)
        {
            var chunk = arrived.GetRange(offset, Math.Min(options.BatchSize, arrived.Count - offset));
            var messages = options.IncludeSummaries ? await FolderQueries.SummariesAsync(mailFolder, chunk, cancellationToken).ConfigureAwait(false) : null;
            observer.OnNext(Stamp(new MessagesArrived { Uids = chunk, Messages = messages }));
        }

        // Every event above has been delivered (OnNext returned): only now may the checkpoint move. A subscriber
        // that failed or unsubscribed meanwhile cancelled the token, and then the checkpoint must stay where it was.
        cancellationToken.ThrowIfCancellationRequested();
        await store.SaveAsync(
            key,
            new SyncCheckpoint
            {
                Folder = folder,
                UidValidity = validity,
                UidNext = mailFolder.UidNext?.Id ?? (current.Count > 0 ? current[current.Count - 1] + 1 : 1),
                HighestModSeq = mailFolder.HighestModSeq,
                LastSeenUid = Math.Max(checkpoint?.LastSeenUid ?? 0, current.Count > 0 ? current[current.Count - 1] : 0),
                KnownUids = new UniqueIdSet(current.Select(u => new UniqueId(u)), SortOrder.Ascending).ToString(),
                KnownFlags = knownFlags,
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Expunges (by comparing UID sets) and flag changes (CONDSTORE CHANGEDSINCE, else by comparison) since the checkpoint; returns the arrivals.</summary>
    private static async Task<List<uint>> ChangesByComparisonAsync(
        IMailFolder mailFolder,
        SyncCheckpoint checkpoint,
        List<uint> known,
        List<uint> current,
        Dictionary<uint, string>? knownFlags,
        Func<MailboxEvent, MailboxEvent> stamp,
        IObserver<MailboxEvent> observer,
        CancellationToken cancellationToken)
    {
        var currentSet = new HashSet<uint>(current);
        var expunged = known.Where(u => !currentSet.Contains(u)).ToList();
        if (expunged.Count > 0)
        {
            observer.OnNext(stamp(new MessagesExpunged { Uids = expunged }));
        }

        var changes = knownFlags is null
            ? await FolderQueries.FlagChangesSinceAsync(mailFolder, checkpoint.HighestModSeq, checkpoint.LastSeenUid, cancellationToken).ConfigureAwait(false)
            : FolderQueries.CompareFlags(checkpoint.KnownFlags ?? knownFlags, knownFlags, checkpoint.LastSeenUid);
        foreach (var change in changes)
        {
            observer.OnNext(stamp(change));
        }

        return current.Where(u => u > checkpoint.LastSeenUid).ToList();
    }

    private static List<uint> KnownUids(SyncCheckpoint checkpoint)
        => UniqueIdSet.TryParse(checkpoint.KnownUids, out var parsed) ? parsed.Select(u => u.Id).OrderBy(u => u).ToList() : new List<uint>();
}
