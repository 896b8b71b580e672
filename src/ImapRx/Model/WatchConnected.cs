namespace ImapRx.Model;

/// <summary>The watch has a connection with the folder selected.</summary>
public sealed record WatchConnected : MailboxEvent
{
    /// <summary>The connection id, <c>host:user#n</c>.</summary>
    public string ConnectionId { get; init; } = string.Empty;
}
