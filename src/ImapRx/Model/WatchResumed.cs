using System;

namespace ImapRx.Model;

/// <summary>
/// The watch is live again after a reconnect; everything that changed during <see cref="Gap"/> has been
/// emitted before this event.
/// </summary>
public sealed record WatchResumed : MailboxEvent
{
    /// <summary>How long the folder was not watched.</summary>
    public TimeSpan Gap { get; init; }

    /// <summary>Messages that arrived during the gap.</summary>
    public int Arrived { get; init; }

    /// <summary>Messages expunged during the gap.</summary>
    public int Expunged { get; init; }

    /// <summary>Flag changes found for the gap.</summary>
    public int FlagChanges { get; init; }
}
