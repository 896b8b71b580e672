using System.Collections.Generic;

namespace ImapRx.Mailbox;

/// <summary>A <see cref="FolderLedger"/> at rest, as a sync checkpoint keeps it between runs.</summary>
internal sealed record LedgerState
{
    internal uint UidValidity { get; init; }

    internal uint UidNext { get; init; }

    /// <summary>0 when the ledger tracks flags by comparison.</summary>
    internal ulong HighestModSeq { get; init; }

    internal uint LastUid { get; init; }

    /// <summary>Ascending.</summary>
    internal IReadOnlyList<uint> Uids { get; init; } = new List<uint>();

    /// <summary>Flag keys (<see cref="FlagState.Key"/>) by UID: every message's without CONDSTORE, else the few reported past <see cref="HighestModSeq"/>.</summary>
    internal IReadOnlyDictionary<uint, string>? Flags { get; init; }
}
