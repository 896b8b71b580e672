using System.Collections.Generic;
using MailKit;

namespace ImapRx.Mailbox;

/// <summary>What a change source found in the server: the folder it opened and what the folder holds now.</summary>
internal sealed class ChangeReport
{
    internal ChangeReport(IMailFolder folder, MailboxSnapshot snapshot, List<uint> current, IReadOnlyList<KeyValuePair<uint, FlagState>> flags, FlagTracking tracking)
    {
        Folder = folder;
        Snapshot = snapshot;
        Current = current;
        Flags = flags;
        Tracking = tracking;
    }

    /// <summary>The folder, open read-only.</summary>
    internal IMailFolder Folder { get; }

    /// <summary>The folder's values when it was opened, before anything was read.</summary>
    internal MailboxSnapshot Snapshot { get; }

    /// <summary>Every UID the folder holds, ascending (arrivals above the ledger's last UID included).</summary>
    internal List<uint> Current { get; }

    /// <summary>Flags the server reported, by UID (every message's in a comparison; only the changed ones otherwise).</summary>
    internal IReadOnlyList<KeyValuePair<uint, FlagState>> Flags { get; }

    /// <summary>How the ledger keeps flags from now on.</summary>
    internal FlagTracking Tracking { get; }

    /// <summary>The server ignored the request: the folder is another one now (its UIDVALIDITY changed).</summary>
    internal bool IsAnotherFolder(FolderLedger ledger) => Snapshot.UidValidity != ledger.UidValidity;
}
