using System.Collections.Generic;
using ImapRx.Model;

namespace ImapRx.Orleans;

/// <summary>The events of one folder sync of one account, in order.</summary>
public sealed record ImapEventBatch
{
    /// <summary>The account id (the grain key).</summary>
    public string AccountId { get; init; } = string.Empty;

    /// <summary>The folder synced.</summary>
    public string Folder { get; init; } = string.Empty;

    /// <summary>What changed: <see cref="MessagesArrived"/>, <see cref="MessagesExpunged"/>, <see cref="FlagsChanged"/>, <see cref="UidValidityChanged"/>.</summary>
    public IReadOnlyList<MailboxEvent> Events { get; init; } = new List<MailboxEvent>();
}
