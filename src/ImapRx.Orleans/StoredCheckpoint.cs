using System.Collections.Generic;
using ImapRx.Sync;
using Orleans;

namespace ImapRx.Orleans;

/// <summary><see cref="SyncCheckpoint"/> as Orleans serializes it in grain state.</summary>
[GenerateSerializer, Alias("ImapRx.Orleans.StoredCheckpoint")]
public sealed class StoredCheckpoint
{
    /// <summary>See <see cref="SyncCheckpoint.Folder"/>.</summary>
    [Id(0)] public string Folder { get; set; } = string.Empty;

    /// <summary>See <see cref="SyncCheckpoint.UidValidity"/>.</summary>
    [Id(1)] public uint UidValidity { get; set; }

    /// <summary>See <see cref="SyncCheckpoint.UidNext"/>.</summary>
    [Id(2)] public uint UidNext { get; set; }

    /// <summary>See <see cref="SyncCheckpoint.HighestModSeq"/>.</summary>
    [Id(3)] public ulong HighestModSeq { get; set; }

    /// <summary>See <see cref="SyncCheckpoint.LastSeenUid"/>.</summary>
    [Id(4)] public uint LastSeenUid { get; set; }

    /// <summary>See <see cref="SyncCheckpoint.KnownUids"/>.</summary>
    [Id(5)] public string KnownUids { get; set; } = string.Empty;

    /// <summary>See <see cref="SyncCheckpoint.KnownFlags"/>.</summary>
    [Id(6)] public Dictionary<uint, string>? KnownFlags { get; set; }

    internal static StoredCheckpoint From(SyncCheckpoint c) => new()
    {
        Folder = c.Folder,
        UidValidity = c.UidValidity,
        UidNext = c.UidNext,
        HighestModSeq = c.HighestModSeq,
        LastSeenUid = c.LastSeenUid,
        KnownUids = c.KnownUids,
        KnownFlags = c.KnownFlags is null ? null : new Dictionary<uint, string>(ToDictionary(c.KnownFlags)),
    };

    internal SyncCheckpoint ToCheckpoint() => new()
    {
        Folder = Folder,
        UidValidity = UidValidity,
        UidNext = UidNext,
        HighestModSeq = HighestModSeq,
        LastSeenUid = LastSeenUid,
        KnownUids = KnownUids,
        KnownFlags = KnownFlags,
    };

    private static Dictionary<uint, string> ToDictionary(IReadOnlyDictionary<uint, string> flags)
    {
        var copy = new Dictionary<uint, string>(flags.Count);
        foreach (var entry in flags)
        {
            copy[entry.Key] = entry.Value;
        }

        return copy;
    }
}
