using System;
using System.Collections.Generic;
using System.Linq;
using ImapRx.Model;

namespace ImapRx.Mailbox;

/// <summary>
/// What a consumer of one folder was last told: its UIDVALIDITY, its UIDs in sequence order, the flags of the
/// messages whose flags matter for finding changes, UIDNEXT and HIGHESTMODSEQ. Whatever the server reports (a live
/// EXPUNGE, VANISHED or FETCH, or a resynchronisation's change report) goes through here and comes out as ordered
/// <see cref="MailboxEvent"/>s, and the ledger moves with every event it emits, so nothing is reported twice and
/// nothing that did not happen is reported at all: an expunge only of a UID it announced, an arrival only above the
/// last UID it announced, a flag change only of a message it announced whose flags differ from what it said last.
/// Pure bookkeeping, no I/O; not thread-safe (its owner runs one connection's events at a time).
/// </summary>
internal sealed class FolderLedger
{
    private readonly Action<MailboxEvent> _emit;
    private readonly Dictionary<uint, FlagState> _flags = new();
    private readonly Dictionary<string, string> _keys = new(StringComparer.Ordinal); // one string per distinct flag set
    private List<uint> _uids = new();

    /// <param name="emit">Receives each event, with <see cref="MailboxEvent.UidValidity"/> set, after the ledger moved.</param>
    internal FolderLedger(Action<MailboxEvent> emit) => _emit = emit ?? throw new ArgumentNullException(nameof(emit));

    /// <summary>False until the ledger learned the folder or was restored.</summary>
    internal bool IsKnown { get; private set; }

    internal uint UidValidity { get; private set; }

    /// <summary>UIDNEXT at the latest resynchronisation (or above the last arrival).</summary>
    internal uint UidNext { get; private set; }

    /// <summary>
    /// Every change with a MODSEQ up to this one was either reported or is part of what the consumer was told; 0
    /// without CONDSTORE.
    /// </summary>
    internal ulong HighestModSeq { get; private set; }

    /// <summary>The highest UID announced (0 when none): anything above it is an arrival.</summary>
    internal uint LastUid { get; private set; }

    internal FlagTracking Tracking { get; private set; } = FlagTracking.Comparison;

    /// <summary>The UIDs present, ascending (which is sequence order): index i is message i + 1.</summary>
    internal IReadOnlyList<uint> Uids => _uids;

    internal int Count => _uids.Count;

    /// <summary>How many messages have their flags kept (all of them when tracking by comparison).</summary>
    internal int TrackedFlags => _flags.Count;

    /// <summary>Restores a ledger saved with <see cref="Save"/>.</summary>
    internal static FolderLedger Restore(LedgerState state, Action<MailboxEvent> emit)
    {
        var ledger = new FolderLedger(emit)
        {
            IsKnown = true,
            UidValidity = state.UidValidity,
            UidNext = state.UidNext,
            HighestModSeq = state.HighestModSeq,
            LastUid = state.LastUid,
            Tracking = state.HighestModSeq > 0 ? FlagTracking.SinceModSeq : FlagTracking.Comparison,
            _uids = state.Uids.Distinct().OrderBy(u => u).ToList(),
        };

        foreach (var entry in state.Flags ?? new Dictionary<uint, string>())
        {
            // Reported before the state was saved, so at or below any later snapshot's HIGHESTMODSEQ: the first
            // resynchronisation that moves past the saved one may forget it.
            ledger._flags[entry.Key] = new FlagState(ledger.Intern(entry.Value), state.HighestModSeq > 0 ? state.HighestModSeq + 1 : null);
        }

        return ledger;
    }

    /// <summary>The ledger at rest.</summary>
    internal LedgerState Save() => new()
    {
        UidValidity = UidValidity,
        UidNext = UidNext,
        HighestModSeq = Tracking == FlagTracking.SinceModSeq ? HighestModSeq : 0,
        LastUid = LastUid,
        Uids = _uids.ToList(),
        Flags = _flags.Count == 0 && Tracking == FlagTracking.SinceModSeq ? null : _flags.ToDictionary(e => e.Key, e => e.Value.Key),
    };

    /// <summary>
    /// Takes the folder as it is now as what the consumer knows, emitting nothing: a watch's first look at a folder.
    /// <paramref name="flags"/> holds every message's flags when tracking by comparison, else those of the messages
    /// the snapshot's HIGHESTMODSEQ does not cover (arrived after it), if any.
    /// </summary>
    internal void Learn(uint uidValidity, IReadOnlyList<uint> uids, IReadOnlyDictionary<uint, FlagState>? flags, FlagTracking tracking, ulong highestModSeq, uint uidNext)
    {
        IsKnown = true;
        UidValidity = uidValidity;
        _uids = uids.Distinct().OrderBy(u => u).ToList();
        LastUid = _uids.Count > 0 ? _uids[_uids.Count - 1] : 0;
        _flags.Clear();
        if (flags is not null)
        {
            foreach (var entry in flags)
            {
                Keep(entry.Key, entry.Value);
            }
        }

        Tracking = tracking == FlagTracking.SinceModSeq && highestModSeq > 0 ? FlagTracking.SinceModSeq : FlagTracking.Comparison;
        HighestModSeq = Tracking == FlagTracking.SinceModSeq ? highestModSeq : 0;
        UidNext = Math.Max(uidNext, LastUid + 1);
    }

    /// <summary>Knows the folder's identity but no message: every message is an arrival (a sync's first run).</summary>
    internal void StartEmpty(uint uidValidity)
    {
        IsKnown = true;
        UidValidity = uidValidity;
        _uids = new List<uint>();
        _flags.Clear();
        LastUid = 0;
        UidNext = 1;
        HighestModSeq = 0;
        Tracking = FlagTracking.Comparison; // every arrival brings its flags until a resynchronisation says otherwise
    }

    /// <summary>
    /// The folder is another one under the same name: emits <see cref="UidValidityChanged"/> and forgets every UID,
    /// leaving the ledger empty under the new UIDVALIDITY. Nothing when the value is unchanged.
    /// </summary>
    internal bool ChangeUidValidity(uint uidValidity)
    {
        if (uidValidity == UidValidity)
        {
            return false;
        }

        var old = UidValidity;
        StartEmpty(uidValidity);
        Emit(new UidValidityChanged { OldValue = old, NewValue = uidValidity });
        return true;
    }

    /// <summary>
    /// Known UIDs missing from <paramref name="current"/> (everything the folder holds now) are expunged, in one
    /// event. UIDs at or below <see cref="LastUid"/> that the ledger lacks are taken in silently, so its count
    /// matches the folder's again (UIDs only grow, so such a message was never news); those above are left to
    /// <see cref="Arrive"/>.
    /// </summary>
    internal IReadOnlyList<uint> ExpungeMissing(IEnumerable<uint> current)
    {
        var present = current as ISet<uint> ?? new HashSet<uint>(current);
        var gone = RemoveAndReport(_uids.Where(u => !present.Contains(u)).ToList());
        if (present.Count(u => u <= LastUid) != _uids.Count)
        {
            _uids = _uids.Union(present.Where(u => u <= LastUid)).OrderBy(u => u).ToList();
        }

        return gone;
    }

    /// <summary>A live EXPUNGE: message <paramref name="index"/> + 1 is gone. Nothing when the ledger never announced it.</summary>
    internal bool ExpungeAt(int index)
    {
        if (index < 0 || index >= _uids.Count)
        {
            return false;
        }

        return RemoveAndReport(new List<uint> { _uids[index] }).Count > 0;
    }

    /// <summary>VANISHED: the UIDs the ledger announced among <paramref name="uids"/> are gone, in one event.</summary>
    internal IReadOnlyList<uint> Expunge(IEnumerable<uint> uids)
        => RemoveAndReport(uids.Distinct().Where(Contains).OrderBy(u => u).ToList());

    /// <summary>
    /// The server says what a message's flags are now. Emits <see cref="FlagsChanged"/> only for a message the
    /// ledger announced whose flags differ from what it reported last; a message it does not keep flags for
    /// changed, under CONDSTORE, when its MODSEQ is past the ledger's (or unknown). In a
    /// <paramref name="completeListing"/> (every message's flags, to compare) such a message is learned instead.
    /// Returns whether it emitted.
    /// </summary>
    internal bool ObserveFlags(uint uid, FlagState state, bool completeListing = false)
    {
        if (!Contains(uid))
        {
            return false; // an arrival to come (its summary carries its flags) or a message already gone
        }

        if (_flags.TryGetValue(uid, out var last))
        {
            if (last.SameFlags(state))
            {
                Keep(uid, new FlagState(last.Key, Later(last.ModSeq, state.ModSeq)));
                return false;
            }
        }
        else if (completeListing || Tracking == FlagTracking.Comparison || state.ModSeq is { } modSeq && modSeq <= HighestModSeq)
        {
            // Comparison without a previous value (the server lost CONDSTORE meanwhile) cannot tell a change from
            // what was always there, and a MODSEQ at or below the ledger's is a state the consumer already has.
            Keep(uid, state);
            return false;
        }

        Keep(uid, state);
        Emit(new FlagsChanged { Uid = uid, Flags = state.Names, ModSeq = state.ModSeq });
        return true;
    }

    /// <summary>
    /// New messages: those above <see cref="LastUid"/> among <paramref name="uids"/> are announced in one
    /// <see cref="MessagesArrived"/> with their summaries (when given), and their flags are kept where the
    /// tracking needs them. Returns how many were new.
    /// </summary>
    internal int Arrive(IReadOnlyList<uint> uids, IReadOnlyList<MailMessageInfo>? messages, IReadOnlyDictionary<uint, FlagState>? states)
    {
        var fresh = uids.Where(u => u > LastUid).Distinct().OrderBy(u => u).ToList();
        if (fresh.Count == 0)
        {
            return 0;
        }

        _uids.AddRange(fresh);
        LastUid = fresh[fresh.Count - 1];
        UidNext = Math.Max(UidNext, LastUid + 1);
        foreach (var uid in fresh)
        {
            if (states is not null && states.TryGetValue(uid, out var state))
            {
                Keep(uid, state);
            }
        }

        var freshSet = new HashSet<uint>(fresh);
        Emit(new MessagesArrived { Uids = fresh, Messages = messages?.Where(m => freshSet.Contains(m.Uid)).ToList() });
        return fresh.Count;
    }

    /// <summary>
    /// A resynchronisation is over: everything the server reported up to its snapshot was applied. The ledger moves
    /// to the snapshot's HIGHESTMODSEQ and UIDNEXT and, under CONDSTORE, forgets the flags of messages whose reported
    /// state is at or below it (a later CHANGEDSINCE will not name them unless they change again).
    /// </summary>
    internal void CompleteResync(FlagTracking tracking, ulong highestModSeq, uint uidNext)
    {
        Tracking = tracking == FlagTracking.SinceModSeq && highestModSeq > 0 ? FlagTracking.SinceModSeq : FlagTracking.Comparison;
        HighestModSeq = Tracking == FlagTracking.SinceModSeq ? Math.Max(HighestModSeq, highestModSeq) : 0;
        UidNext = Math.Max(uidNext, LastUid + 1);
        if (Tracking == FlagTracking.SinceModSeq)
        {
            foreach (var uid in _flags.Where(e => e.Value.ModSeq is { } m && m <= HighestModSeq).Select(e => e.Key).ToList())
            {
                _flags.Remove(uid);
            }
        }
    }

    /// <summary>The flags last reported (or learned) for <paramref name="uid"/>, if the ledger keeps them.</summary>
    internal FlagState? FlagsOf(uint uid) => _flags.TryGetValue(uid, out var state) ? state : null;

    internal bool Contains(uint uid) => uid <= LastUid && _uids.BinarySearch(uid) >= 0;

    private List<uint> RemoveAndReport(List<uint> gone)
    {
        if (gone.Count == 0)
        {
            return gone;
        }

        var goneSet = new HashSet<uint>(gone);
        _uids.RemoveAll(goneSet.Contains);
        foreach (var uid in gone)
        {
            _flags.Remove(uid);
        }

        Emit(new MessagesExpunged { Uids = gone });
        return gone;
    }

    private void Keep(uint uid, FlagState state) => _flags[uid] = new FlagState(Intern(state.Key), state.ModSeq);

    private string Intern(string key)
    {
        if (_keys.TryGetValue(key, out var kept))
        {
            return kept;
        }

        _keys[key] = key;
        return key;
    }

    private static ulong? Later(ulong? a, ulong? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    private void Emit(MailboxEvent value) => _emit(value with { UidValidity = UidValidity });
}
