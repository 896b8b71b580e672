using System;

namespace ImapRx.Model;

/// <summary>
/// Something that happened to a watched or synced folder. Match on the subclasses:
/// <see cref="MessagesArrived"/>, <see cref="MessagesExpunged"/>, <see cref="FlagsChanged"/>,
/// <see cref="UidValidityChanged"/>, and the status events <see cref="WatchConnected"/>,
/// <see cref="WatchIdling"/>, <see cref="WatchReconnecting"/>, <see cref="WatchResumed"/>.
/// </summary>
public abstract record MailboxEvent
{
    /// <summary>The folder's full name.</summary>
    public string Folder { get; init; } = string.Empty;

    /// <summary>The folder's UIDVALIDITY the UIDs in this event belong to.</summary>
    public uint UidValidity { get; init; }

    /// <summary>When the event was observed (scheduler time).</summary>
    public DateTimeOffset Timestamp { get; init; }
}
