using System;
using System.Collections.Generic;

namespace ImapRx.Model;

/// <summary>New messages, in ascending UID order.</summary>
public sealed record MessagesArrived : MailboxEvent
{
    /// <summary>The new UIDs.</summary>
    public IReadOnlyList<uint> Uids { get; init; } = Array.Empty<uint>();

    /// <summary>Their summaries, when they were asked for; otherwise null.</summary>
    public IReadOnlyList<MailMessageInfo>? Messages { get; init; }

    /// <inheritdoc/>
    public override string ToString() => $"{Folder}: {Uids.Count} arrived";
}
