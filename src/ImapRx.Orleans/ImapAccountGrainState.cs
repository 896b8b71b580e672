using System.Collections.Generic;
using Orleans;

namespace ImapRx.Orleans;

/// <summary>What an account grain persists: no host, user name or credential, only what to watch and how far it got.</summary>
[GenerateSerializer, Alias("ImapRx.Orleans.ImapAccountGrainState")]
public sealed class ImapAccountGrainState
{
    /// <summary>Started and not stopped.</summary>
    [Id(0)] public bool Enabled { get; set; }

    /// <summary>The folders kept in sync.</summary>
    [Id(1)] public List<string> Folders { get; set; } = new();

    /// <summary>The sync checkpoint of each folder, saved only after the handler accepted the events it covers.</summary>
    [Id(2)] public Dictionary<string, StoredCheckpoint> Checkpoints { get; set; } = new();
}
