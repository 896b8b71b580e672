using System;
using System.Collections.Generic;

namespace ImapRx.Model;

/// <summary>A message's flags changed; <see cref="Flags"/> is the full new set.</summary>
public sealed record FlagsChanged : MailboxEvent
{
    /// <summary>The message.</summary>
    public uint Uid { get; init; }

    /// <summary>All flags and keywords the message has now, except \Recent (it belongs to one session, not to the message).</summary>
    public IReadOnlyCollection<string> Flags { get; init; } = Array.Empty<string>();

    /// <summary>The message's MODSEQ after the change, when the server has CONDSTORE.</summary>
    public ulong? ModSeq { get; init; }

    /// <inheritdoc/>
    public override string ToString() => $"{Folder}#{Uid}: flags {string.Join(" ", Flags)}";
}
