using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ImapRx.Internal;
using ImapRx.Model;
using ImapRx.Pooling;
using MailKit;
using MailKit.Search;

namespace ImapRx.Sync;

/// <summary>
/// What the server said while answering a QRESYNC EXAMINE (RFC 7162 §3.2.5): the known UIDs that are gone
/// (VANISHED (EARLIER)) and the latest flags of every message changed since the checkpoint's mod-sequence.
/// </summary>
internal sealed class QuickResyncReport
{
    private readonly Dictionary<uint, FlagsChanged> _changes = new();

    private QuickResyncReport()
    {
    }

    /// <summary>Known UIDs the server reported as expunged, ascending.</summary>
    internal List<uint> Expunged { get; private set; } = new();

    /// <summary>EXAMINEs <paramref name="mailFolder"/> with the checkpoint's QRESYNC data and collects the report.</summary>
    internal static async Task<QuickResyncReport> OpenAsync(ImapLease lease, IMailFolder mailFolder, SyncCheckpoint checkpoint, List<uint> known, CancellationToken cancellationToken)
    {
        var report = new QuickResyncReport();
        var vanished = new HashSet<uint>();
        void OnVanished(object? sender, MessagesVanishedEventArgs e)
        {
            foreach (var uid in e.UniqueIds)
            {
                vanished.Add(uid.Id);
            }
        }

        void OnFlagsChanged(object? sender, MessageFlagsChangedEventArgs e)
        {
            if (e.UniqueId is { } uid)
            {
                report._changes[uid.Id] = FolderQueries.FlagChange(uid.Id, e.Flags, e.Keywords, e.ModSeq);
            }
        }

        mailFolder.MessagesVanished += OnVanished;
        mailFolder.MessageFlagsChanged += OnFlagsChanged;
        try
        {
            var knownSet = new UniqueIdSet(known.Select(u => new UniqueId(checkpoint.UidValidity, u)), SortOrder.Ascending);
            await lease.QuickResyncAsync(mailFolder, checkpoint.UidValidity, checkpoint.HighestModSeq, knownSet, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            mailFolder.MessagesVanished -= OnVanished;
            mailFolder.MessageFlagsChanged -= OnFlagsChanged;
        }

        report.Expunged = known.Where(vanished.Contains).ToList();
        foreach (var uid in vanished)
        {
            report._changes.Remove(uid);
        }

        return report;
    }

    /// <summary>Flag changes of messages up to <paramref name="lastSeenUid"/>, ascending; newer ones are arrivals.</summary>
    internal IEnumerable<FlagsChanged> FlagChanges(uint lastSeenUid)
        => _changes.Values.Where(c => c.Uid <= lastSeenUid).OrderBy(c => c.Uid);
}
