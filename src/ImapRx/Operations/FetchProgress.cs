namespace ImapRx.Operations;

/// <summary>
/// What one subscription of a fetch has delivered so far, kept across its retries, so a retry resumes after the
/// last UID delivered instead of repeating, and checks the folder's UIDVALIDITY against the first look.
/// </summary>
internal sealed class FetchProgress
{
    internal FetchProgress(uint sinceUid, uint uidValidity)
    {
        LastUid = sinceUid;
        UidValidity = uidValidity;
    }

    internal uint LastUid { get; set; }

    internal uint UidValidity { get; set; }

    internal int Delivered { get; set; }

    /// <summary>The messages of this fetch whose summary MailKit could not read (kept across retries).</summary>
    internal UnreadableMessages? Unreadable { get; set; }

    private int _fallbackLogged;

    /// <summary>
    /// The native reader logs its first fallback to MailKit of a fetch, and counts the rest: true exactly once, for
    /// the first caller, even when parallel bulk sessions reject batches at the same moment.
    /// </summary>
    internal bool TryClaimFallbackLog() => System.Threading.Interlocked.Exchange(ref _fallbackLogged, 1) == 0;
}
