using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using ImapRx.Operations;
using MailKit;

namespace ImapRx.Mailbox;

/// <summary>How a resynchronisation gets its folder open read-only: plainly, or with QRESYNC data.</summary>
internal interface IMailboxOpener
{
    /// <summary>The connection has QRESYNC enabled and the folder may be (re)opened with it.</summary>
    bool CanQuickResync { get; }

    /// <summary>EXAMINE the folder, or take it as it is when it is already open.</summary>
    Task<IMailFolder> OpenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// EXAMINE the folder with QRESYNC (RFC 7162 §3.2.5): while this runs the folder raises MessagesVanished for the
    /// known UIDs that are gone and MessageFlagsChanged for every message changed since <paramref name="highestModSeq"/>.
    /// </summary>
    Task OpenWithQuickResyncAsync(IMailFolder folder, uint uidValidity, ulong highestModSeq, IList<UniqueId> knownUids, CancellationToken cancellationToken);

    /// <summary>The folder object events are raised on, not yet opened by this resynchronisation.</summary>
    Task<IMailFolder> GetAsync(CancellationToken cancellationToken);

    /// <summary>The messages whose summary MailKit could not read, with the metric and the log line for them.</summary>
    UnreadableMessages Unreadable { get; }

    /// <summary>
    /// <paramref name="folder"/> (opened by this opener) for reading summaries, and, where this opener can, the same
    /// folder on another connection once MailKit dropped this one over an answer it could not read.
    /// </summary>
    IFolderConnection ForReading(IMailFolder folder);

    /// <summary>
    /// True once a read discarded this opener's connection for a replacement: whoever holds the old connection must
    /// not use it again (a watch reconnects, its ledger keeping what it announced).
    /// </summary>
    bool ConnectionReplaced { get; }
}
