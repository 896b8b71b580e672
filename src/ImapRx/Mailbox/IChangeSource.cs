using System.Threading;
using System.Threading.Tasks;

namespace ImapRx.Mailbox;

/// <summary>
/// One way to learn what changed in a folder since its ledger's state: QRESYNC (the EXAMINE itself reports it),
/// CONDSTORE (CHANGEDSINCE plus a UID search) or comparison (every message's flags against the ledger's).
/// </summary>
internal interface IChangeSource
{
    /// <summary>Opens the folder (through <paramref name="opener"/>) and reads what changed; changes nothing in the ledger.</summary>
    Task<ChangeReport> ReadAsync(IMailboxOpener opener, FolderLedger ledger, CancellationToken cancellationToken);
}
