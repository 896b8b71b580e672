using System;
using System.Collections.Generic;

namespace ImapRx.Model;

/// <summary>Messages removed from the folder.</summary>
public sealed record MessagesExpunged : MailboxEvent
{
    /// <summary>The UIDs that are gone.</summary>
    public IReadOnlyList<uint> Uids { get; init; } = Array.Empty<uint>();

    /// <inheritdoc/>
    public override string ToString() => $"{Folder}: {Uids.Count} expunged";
}
