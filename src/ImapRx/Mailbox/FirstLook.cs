namespace ImapRx.Mailbox;

/// <summary>What a ledger that knows nothing of the folder (or only a folder since replaced) makes of its contents.</summary>
internal enum FirstLook
{
    /// <summary>They are what the consumer knows already (a watch reports changes from the moment it starts).</summary>
    Learn,

    /// <summary>Every message arrives (a sync's first run, or the run after a UIDVALIDITY reset).</summary>
    Arrive,
}
