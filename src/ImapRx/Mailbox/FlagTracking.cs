namespace ImapRx.Mailbox;

/// <summary>Which flags the ledger keeps, decided by the change source of its latest resynchronisation.</summary>
internal enum FlagTracking
{
    /// <summary>
    /// The server has CONDSTORE: the ledger's HIGHESTMODSEQ covers every message whose state a consumer was told
    /// before it, so only messages reported past it keep their flags (a handful between resynchronisations).
    /// </summary>
    SinceModSeq,

    /// <summary>The server has no CONDSTORE: every message's flags are kept, and changes are found by comparison.</summary>
    Comparison,
}
