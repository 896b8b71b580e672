using System.Collections.Generic;

namespace ImapRx.Sync;

/// <summary>
/// Where a folder's sync stopped: the folder's identity (UIDVALIDITY), how far it got (UIDNEXT, last UID),
/// the CONDSTORE position (HIGHESTMODSEQ) and the UIDs known then (to find expunges without QRESYNC).
/// Immutable; saved only after the changes it covers were delivered.
/// </summary>
public sealed record SyncCheckpoint
{
    /// <summary>The folder's full name.</summary>
    public string Folder { get; init; } = string.Empty;

    /// <summary>UIDVALIDITY when the checkpoint was taken.</summary>
    public uint UidValidity { get; init; }

    /// <summary>UIDNEXT when the checkpoint was taken.</summary>
    public uint UidNext { get; init; }

    /// <summary>HIGHESTMODSEQ when the checkpoint was taken; 0 without CONDSTORE.</summary>
    public ulong HighestModSeq { get; init; }

    /// <summary>The highest UID delivered.</summary>
    public uint LastSeenUid { get; init; }

    /// <summary>The UIDs present, as an IMAP set (<c>1:40,42</c>): compact even for big folders.</summary>
    public string KnownUids { get; init; } = string.Empty;

    /// <summary>
    /// Only for servers without CONDSTORE (Microsoft 365, for one): every message's flags by UID, as flag names in
    /// ordinal order separated by spaces, so the next sync finds flag changes by comparison. Null where the server
    /// has CONDSTORE, whose HIGHESTMODSEQ does the same job in one number.
    /// </summary>
    public IReadOnlyDictionary<uint, string>? KnownFlags { get; init; }
}
