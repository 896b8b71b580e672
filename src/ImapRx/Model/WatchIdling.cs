namespace ImapRx.Model;

/// <summary>An IDLE command (or a poll cycle, on servers without IDLE) has started.</summary>
public sealed record WatchIdling : MailboxEvent
{
    /// <summary>True when the server has no IDLE and the watch polls instead.</summary>
    public bool IsPolling { get; init; }
}
