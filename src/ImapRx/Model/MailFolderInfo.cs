using System;
using System.Collections.Generic;

namespace ImapRx.Model;

/// <summary>A folder and its counts (the spec's IMAPFolder). Immutable.</summary>
public sealed record MailFolderInfo
{
    /// <summary>The raw full name, e.g. <c>[Gmail]/Sent Mail</c>.</summary>
    public string FullName { get; init; } = string.Empty;

    /// <summary>The last path segment, e.g. <c>Sent Mail</c>.</summary>
    public string DisplayName { get; init; } = string.Empty;

    /// <summary>What the folder is for.</summary>
    public MailFolderType Type { get; init; }

    /// <summary>The attributes as the server sent them, e.g. <c>\HasNoChildren</c>, <c>\Sent</c>.</summary>
    public IReadOnlyList<string> Attributes { get; init; } = Array.Empty<string>();

    /// <summary>False for folders that only hold other folders (<c>\Noselect</c>, <c>\NonExistent</c>).</summary>
    public bool IsSelectable { get; init; } = true;

    /// <summary>The hierarchy delimiter, e.g. <c>/</c>; null when the server has none.</summary>
    public char? Delimiter { get; init; }

    /// <summary>Messages without \Seen.</summary>
    public int UnreadCount { get; init; }

    /// <summary>All messages.</summary>
    public int TotalCount { get; init; }

    /// <summary>UIDVALIDITY: when it changes, every UID you stored for this folder is void.</summary>
    public uint UidValidity { get; init; }

    /// <summary>The UID the next message will get, when known.</summary>
    public uint? UidNext { get; init; }

    /// <summary>HIGHESTMODSEQ (CONDSTORE), when the server has it.</summary>
    public ulong? HighestModSeq { get; init; }

    /// <inheritdoc/>
    public override string ToString() => $"{FullName} ({Type}, {UnreadCount}/{TotalCount} unread)";
}
