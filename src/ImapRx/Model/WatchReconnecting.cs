using System;

namespace ImapRx.Model;

/// <summary>The connection was lost; the watch waits <see cref="Delay"/> before attempt <see cref="Attempt"/>.</summary>
public sealed record WatchReconnecting : MailboxEvent
{
    /// <summary>1 for the first retry.</summary>
    public int Attempt { get; init; }

    /// <summary>The wait before this attempt.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>What went wrong (never contains secrets).</summary>
    public string Reason { get; init; } = string.Empty;
}
