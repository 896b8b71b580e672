using ImapRx.Mailbox;
using ImapRx.Sync;

namespace ImapRx.Tests.Sync;

/// <summary>A checkpoint as a folder ledger and back: the shape stays what earlier versions wrote and read.</summary>
public sealed class SyncOperationTests
{
    [Fact]
    public void ToLedger_CondStoreCheckpointWithoutFlags_LedgerTracksSinceItsModSeq()
    {
        var ledger = FolderLedger.Restore(SyncOperation.ToLedger(new SyncCheckpoint
        {
            Folder = "INBOX", UidValidity = 5, UidNext = 9, HighestModSeq = 77, LastSeenUid = 8, KnownUids = "1:3,5,8",
        }), _ => { });

        Assert.Equal(FlagTracking.SinceModSeq, ledger.Tracking);
        Assert.Equal(new uint[] { 1, 2, 3, 5, 8 }, ledger.Uids);
        Assert.Equal((5u, 9u, 77ul, 8u), (ledger.UidValidity, ledger.UidNext, ledger.HighestModSeq, ledger.LastUid));
        Assert.Equal(0, ledger.TrackedFlags);
    }

    [Fact]
    public void ToCheckpoint_LedgerRestoredFromAComparisonCheckpoint_SameCheckpointBack()
    {
        var checkpoint = new SyncCheckpoint
        {
            Folder = "INBOX", UidValidity = 5, UidNext = 6, LastSeenUid = 5, KnownUids = "1:2,5",
            KnownFlags = new Dictionary<uint, string> { [1] = "\\Seen", [2] = string.Empty, [5] = "$Label1 \\Flagged" },
        };

        var back = SyncOperation.ToCheckpoint("INBOX", FolderLedger.Restore(SyncOperation.ToLedger(checkpoint), _ => { }).Save());

        Assert.Equal(checkpoint with { KnownFlags = null }, back with { KnownFlags = null });
        Assert.Equal(checkpoint.KnownFlags.OrderBy(e => e.Key), back.KnownFlags!.OrderBy(e => e.Key));
    }

    [Fact]
    public void ToCheckpoint_CondStoreLedgerWithNothingPastItsModSeq_NoFlagsSaved()
    {
        var ledger = new FolderLedger(_ => { });
        ledger.Learn(5, new uint[] { 1, 2 }, null, FlagTracking.SinceModSeq, 30, 3);

        var checkpoint = SyncOperation.ToCheckpoint("INBOX", ledger.Save());

        Assert.Null(checkpoint.KnownFlags);
        Assert.Equal(("1:2", 30ul, 2u), (checkpoint.KnownUids, checkpoint.HighestModSeq, checkpoint.LastSeenUid));
    }
}
