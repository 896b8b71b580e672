using System;
using System.Collections.Generic;
using Orleans;

namespace ImapRx.Orleans;

/// <summary>A snapshot of one account grain.</summary>
[GenerateSerializer, Immutable, Alias("ImapRx.Orleans.ImapAccountStatus")]
public sealed record ImapAccountStatus
{
    /// <summary>The account id (the grain key).</summary>
    [Id(0)] public string AccountId { get; init; } = string.Empty;

    /// <summary>The silo the activation lives on.</summary>
    [Id(1)] public string Silo { get; init; } = string.Empty;

    /// <summary>Whether the account was started and not stopped.</summary>
    [Id(2)] public bool Enabled { get; init; }

    /// <summary>Whether the sync-and-watch loop is running in this activation.</summary>
    [Id(3)] public bool Running { get; init; }

    /// <summary>The folders kept in sync.</summary>
    [Id(4)] public IReadOnlyList<string> Folders { get; init; } = Array.Empty<string>();

    /// <summary>Batches the handler accepted in this activation.</summary>
    [Id(5)] public long BatchesDelivered { get; init; }

    /// <summary>The type and message of the last failure of this activation's loop, if any (never a credential).</summary>
    [Id(6)] public string? LastError { get; init; }

    /// <summary>When this activation started (UTC).</summary>
    [Id(7)] public DateTimeOffset ActivatedAt { get; init; }
}
