using ImapRx.Mailbox;
using ImapRx.Model;
using MailKit;

namespace ImapRx.Tests.Mailbox;

/// <summary>The folder ledger alone, no server: what it emits for what the server reports, and how it moves.</summary>
public sealed class FolderLedgerTests
{
    private readonly List<MailboxEvent> _events = new();

    [Fact]
    public void ObserveFlags_SameFlagsAsLastReported_EmitsNothing()
    {
        var ledger = Comparison(new Dictionary<uint, FlagState> { [1] = Seen(null), [2] = None(null) });

        Assert.False(ledger.ObserveFlags(1, Seen(null)));
        Assert.False(ledger.ObserveFlags(2, None(null)));
        Assert.Empty(_events);
    }

    [Fact]
    public void ObserveFlags_DifferentFlags_EmitsOnceAndRemembersWhatItReported()
    {
        var ledger = Comparison(new Dictionary<uint, FlagState> { [1] = None(null), [2] = None(null) });

        Assert.True(ledger.ObserveFlags(2, FlagState.From(MessageFlags.Flagged | MessageFlags.Seen, null, null)));
        Assert.False(ledger.ObserveFlags(2, FlagState.From(MessageFlags.Seen | MessageFlags.Flagged, null, null)));

        var change = Assert.IsType<FlagsChanged>(Assert.Single(_events));
        Assert.Equal(2u, change.Uid);
        Assert.Equal(new[] { "\\Flagged", "\\Seen" }, change.Flags);
        Assert.Equal(7u, change.UidValidity);
        Assert.Null(change.ModSeq);
    }

    [Fact]
    public void ObserveFlags_OnlyRecentDiffers_EmitsNothing()
    {
        var ledger = Comparison(new Dictionary<uint, FlagState> { [1] = Seen(null) });

        Assert.False(ledger.ObserveFlags(1, FlagState.From(MessageFlags.Seen | MessageFlags.Recent, null, null)));
        Assert.Empty(_events);
    }

    [Fact]
    public void ObserveFlags_KeywordAdded_EmitsWithTheKeyword()
    {
        var ledger = Comparison(new Dictionary<uint, FlagState> { [1] = Seen(null) });

        Assert.True(ledger.ObserveFlags(1, FlagState.From(MessageFlags.Seen, new[] { "$Label1" }, null)));
        Assert.False(ledger.ObserveFlags(1, FlagState.From(MessageFlags.Seen, new[] { "$Label1" }, null)));

        Assert.Equal(new[] { "$Label1", "\\Seen" }, Assert.IsType<FlagsChanged>(Assert.Single(_events)).Flags);
    }

    [Fact]
    public void ObserveFlags_MessageNotAnnounced_EmitsNothing()
    {
        var ledger = CondStore(highestModSeq: 10, 1, 2);

        Assert.False(ledger.ObserveFlags(3, Seen(11))); // above the last UID: an arrival to come
        Assert.False(ledger.ObserveFlags(0, Seen(11)));
        Assert.Empty(_events);
    }

    [Fact]
    public void ObserveFlags_CondStoreUntrackedMessage_EmitsOnlyPastTheLedgersModSeq()
    {
        var ledger = CondStore(highestModSeq: 10, 1, 2);

        Assert.False(ledger.ObserveFlags(1, Seen(9)));
        Assert.False(ledger.ObserveFlags(1, Seen(10)));
        Assert.True(ledger.ObserveFlags(2, Seen(11)));
        Assert.False(ledger.ObserveFlags(2, Seen(12))); // the same flags reported again by a later CHANGEDSINCE

        var change = Assert.IsType<FlagsChanged>(Assert.Single(_events));
        Assert.Equal((2u, (ulong?)11), (change.Uid, change.ModSeq));
    }

    [Fact]
    public void ObserveFlags_CompleteListingOnACondStoreLedger_LearnsUntrackedMessagesSilently()
    {
        var ledger = CondStore(highestModSeq: 10, 1, 2);

        Assert.False(ledger.ObserveFlags(1, Seen(null), completeListing: true));
        Assert.True(ledger.ObserveFlags(1, None(null), completeListing: true));

        Assert.Equal(1u, Assert.IsType<FlagsChanged>(Assert.Single(_events)).Uid);
    }

    [Fact]
    public void Arrive_MessageThatArrivedLive_IsNotAFlagChangeWhenChangedSinceNamesItLater()
    {
        // Issue 20: a live arrival moves the server's MODSEQ past the ledger's; the next CHANGEDSINCE (or QRESYNC
        // FETCH) names it although its flags are what its arrival reported.
        var ledger = CondStore(highestModSeq: 10, 1, 2);
        ledger.Arrive(new uint[] { 3, 4 }, null, new Dictionary<uint, FlagState> { [3] = None(11), [4] = Seen(12) });

        Assert.False(ledger.ObserveFlags(3, None(11)));
        Assert.False(ledger.ObserveFlags(4, Seen(12)));
        Assert.True(ledger.ObserveFlags(4, None(13)));

        Assert.Equal(new[] { typeof(MessagesArrived), typeof(FlagsChanged) }, _events.Select(e => e.GetType()));
        Assert.Equal(new uint[] { 3, 4 }, ((MessagesArrived)_events[0]).Uids);
        Assert.Equal(4u, ((FlagsChanged)_events[1]).Uid);
    }

    [Fact]
    public void Arrive_UidsAtOrBelowLastUid_AreNotAnnouncedAgain()
    {
        var ledger = CondStore(highestModSeq: 10, 1, 2);

        Assert.Equal(1, ledger.Arrive(new uint[] { 2, 3 }, null, null));
        Assert.Equal(0, ledger.Arrive(new uint[] { 1, 3 }, null, null));

        Assert.Equal(new uint[] { 3 }, Assert.IsType<MessagesArrived>(Assert.Single(_events)).Uids);
        Assert.Equal(new uint[] { 1, 2, 3 }, ledger.Uids);
        Assert.Equal(3u, ledger.LastUid);
        Assert.Equal(4u, ledger.UidNext);
    }

    [Fact]
    public void Arrive_WithSummaries_KeepsOnlyTheNewOnesSummaries()
    {
        var ledger = CondStore(highestModSeq: 10, 1);
        var messages = new[] { new MailMessageInfo { Uid = 1 }, new MailMessageInfo { Uid = 2 } };

        ledger.Arrive(new uint[] { 1, 2 }, messages, null);

        var arrived = Assert.IsType<MessagesArrived>(Assert.Single(_events));
        Assert.Equal(new uint[] { 2 }, arrived.Messages!.Select(m => m.Uid));
    }

    [Fact]
    public void CompleteResync_CondStore_ForgetsFlagsAtOrBelowTheNewModSeqOnly()
    {
        var ledger = CondStore(highestModSeq: 10, 1);
        ledger.Arrive(new uint[] { 2, 3, 4 }, null, new Dictionary<uint, FlagState> { [2] = None(11), [3] = None(15), [4] = None(null) });

        ledger.CompleteResync(FlagTracking.SinceModSeq, highestModSeq: 14, uidNext: 5);

        Assert.Equal(14ul, ledger.HighestModSeq);
        Assert.Null(ledger.FlagsOf(2));
        Assert.NotNull(ledger.FlagsOf(3));
        Assert.NotNull(ledger.FlagsOf(4));
        Assert.False(ledger.ObserveFlags(2, None(12))); // covered by the ledger's MODSEQ now
        Assert.False(ledger.ObserveFlags(3, None(15)));
    }

    [Fact]
    public void CompleteResync_Comparison_KeepsEveryMessagesFlagsAndNoModSeq()
    {
        var ledger = Comparison(new Dictionary<uint, FlagState> { [1] = None(null) });
        ledger.Arrive(new uint[] { 2 }, null, new Dictionary<uint, FlagState> { [2] = Seen(null) });

        ledger.CompleteResync(FlagTracking.Comparison, highestModSeq: 0, uidNext: 3);

        Assert.Equal(2, ledger.TrackedFlags);
        Assert.Equal(0ul, ledger.HighestModSeq);
        Assert.Equal(FlagTracking.Comparison, ledger.Tracking);
    }

    [Fact]
    public void ExpungeAt_LiveExpunge_EmitsTheUidAtThatSequenceNumberAndForgetsIt()
    {
        var ledger = Comparison(new Dictionary<uint, FlagState> { [4] = None(null), [6] = None(null), [9] = None(null) });

        Assert.True(ledger.ExpungeAt(1));
        Assert.False(ledger.ExpungeAt(5));
        Assert.False(ledger.ObserveFlags(6, Seen(null)));

        Assert.Equal(new uint[] { 6 }, Assert.IsType<MessagesExpunged>(Assert.Single(_events)).Uids);
        Assert.Equal(new uint[] { 4, 9 }, ledger.Uids);
    }

    [Fact]
    public void Expunge_Vanished_ReportsOnlyAnnouncedUidsOnceInOneEvent()
    {
        var ledger = CondStore(highestModSeq: 10, 1, 2, 3, 5);

        Assert.Equal(new uint[] { 2, 5 }, ledger.Expunge(new uint[] { 5, 4, 2, 2, 8 }));
        Assert.Empty(ledger.Expunge(new uint[] { 2 }));

        Assert.Equal(new uint[] { 2, 5 }, Assert.IsType<MessagesExpunged>(Assert.Single(_events)).Uids);
    }

    [Fact]
    public void ExpungeMissing_FullUidList_ReportsWhatIsGoneInOrder()
    {
        var ledger = CondStore(highestModSeq: 10, 1, 2, 3, 5);

        Assert.Equal(new uint[] { 1, 3 }, ledger.ExpungeMissing(new uint[] { 2, 5, 6 }));
        Assert.Empty(ledger.ExpungeMissing(new uint[] { 2, 5, 6 }));

        Assert.Single(_events);
        Assert.Equal(new uint[] { 2, 5 }, ledger.Uids); // 6 is an arrival, announced only by Arrive
    }

    [Fact]
    public void ExpungeMissing_UnknownUidBelowLastUid_TakenInSilentlySoTheCountsMatch()
    {
        var ledger = CondStore(highestModSeq: 10, 1, 3);

        Assert.Empty(ledger.ExpungeMissing(new uint[] { 1, 2, 3, 4 }));

        Assert.Empty(_events);
        Assert.Equal(new uint[] { 1, 2, 3 }, ledger.Uids);
    }

    [Fact]
    public void ChangeUidValidity_NewValue_EmitsTheResetAndForgetsEveryUid()
    {
        var ledger = CondStore(highestModSeq: 10, 1, 2);

        Assert.False(ledger.ChangeUidValidity(7));
        Assert.True(ledger.ChangeUidValidity(8));
        ledger.Arrive(new uint[] { 1 }, null, null);

        var reset = Assert.IsType<UidValidityChanged>(_events[0]);
        Assert.Equal((7u, 8u, 8u), (reset.OldValue, reset.NewValue, reset.UidValidity));
        Assert.Equal(new uint[] { 1 }, Assert.IsType<MessagesArrived>(_events[1]).Uids); // UID 1 is a new message now
        Assert.Equal(0ul, ledger.HighestModSeq);
    }

    [Fact]
    public void SaveAndRestore_CondStore_KeepsPositionAndForgetsRestoredFlagsOnceTheModSeqMovesOn()
    {
        var ledger = CondStore(highestModSeq: 10, 1, 2);
        ledger.Arrive(new uint[] { 3 }, null, new Dictionary<uint, FlagState> { [3] = Seen(12) });
        ledger.CompleteResync(FlagTracking.SinceModSeq, highestModSeq: 11, uidNext: 4);
        var saved = ledger.Save();

        var restored = FolderLedger.Restore(saved, _events.Add);

        Assert.Equal((7u, 4u, 11ul, 3u), (restored.UidValidity, restored.UidNext, restored.HighestModSeq, restored.LastUid));
        Assert.Equal(new uint[] { 1, 2, 3 }, restored.Uids);
        Assert.Equal(FlagTracking.SinceModSeq, restored.Tracking);
        Assert.False(restored.ObserveFlags(3, Seen(12)));
        restored.CompleteResync(FlagTracking.SinceModSeq, highestModSeq: 13, uidNext: 4);
        Assert.Null(restored.Save().Flags);
        Assert.Single(_events); // the arrival, before saving
    }

    [Fact]
    public void Restore_CheckpointWithoutFlagsUnderCondStore_TracksSinceItsModSeq()
    {
        // The shape every checkpoint written before the ledger has: KnownFlags null where the server has CONDSTORE.
        var restored = FolderLedger.Restore(new LedgerState { UidValidity = 7, UidNext = 3, HighestModSeq = 20, LastUid = 2, Uids = new uint[] { 1, 2 } }, _events.Add);

        Assert.False(restored.ObserveFlags(1, Seen(20)));
        Assert.True(restored.ObserveFlags(2, Seen(21)));
        Assert.Single(_events);
    }

    [Fact]
    public void Restore_ComparisonCheckpoint_ComparesWithTheSavedFlags()
    {
        var restored = FolderLedger.Restore(
            new LedgerState { UidValidity = 7, UidNext = 3, LastUid = 2, Uids = new uint[] { 1, 2 }, Flags = new Dictionary<uint, string> { [1] = "\\Seen", [2] = string.Empty } },
            _events.Add);

        Assert.False(restored.ObserveFlags(1, Seen(null), completeListing: true));
        Assert.True(restored.ObserveFlags(2, Seen(null), completeListing: true));
        Assert.Equal(FlagTracking.Comparison, restored.Tracking);
        Assert.Equal(new[] { "\\Seen" }, Assert.IsType<FlagsChanged>(Assert.Single(_events)).Flags);
    }

    [Fact]
    public void FlagStateKeyOf_NamesInAnyOrderWithRecent_SameKey()
    {
        Assert.Equal(FlagState.KeyOf(new[] { "\\Seen", "$Label1", "\\Recent" }), FlagState.KeyOf(new[] { "$Label1", "\\Seen" }));
        Assert.Equal(FlagState.KeyOf(new[] { "$Label1", "\\Seen" }), FlagState.From(MessageFlags.Seen | MessageFlags.Recent, new[] { "$Label1" }, null).Key);
    }

    private FolderLedger Comparison(Dictionary<uint, FlagState> flags)
    {
        var ledger = new FolderLedger(_events.Add);
        ledger.Learn(7, flags.Keys.ToList(), flags, FlagTracking.Comparison, 0, flags.Keys.DefaultIfEmpty().Max() + 1);
        return ledger;
    }

    private FolderLedger CondStore(ulong highestModSeq, params uint[] uids)
    {
        var ledger = new FolderLedger(_events.Add);
        ledger.Learn(7, uids, null, FlagTracking.SinceModSeq, highestModSeq, uids.DefaultIfEmpty().Max() + 1);
        return ledger;
    }

    private static FlagState Seen(ulong? modSeq) => FlagState.From(MessageFlags.Seen, null, modSeq);

    private static FlagState None(ulong? modSeq) => FlagState.From(MessageFlags.None, null, modSeq);
}
