namespace ImapRx.Model;

/// <summary>
/// The folder's UIDVALIDITY changed (it was deleted and recreated, or rebuilt): every UID known before
/// is void. In <c>Sync</c> this is the reset signal; what follows is a resync from scratch.
/// </summary>
public sealed record UidValidityChanged : MailboxEvent
{
    /// <summary>The old UIDVALIDITY.</summary>
    public uint OldValue { get; init; }

    /// <summary>The new UIDVALIDITY (also in <see cref="MailboxEvent.UidValidity"/>).</summary>
    public uint NewValue { get; init; }

    /// <inheritdoc/>
    public override string ToString() => $"{Folder}: UIDVALIDITY {OldValue} -> {NewValue}";
}
