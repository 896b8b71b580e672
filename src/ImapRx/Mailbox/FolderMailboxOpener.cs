using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using ImapRx.Operations;
using MailKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImapRx.Mailbox;

/// <summary>
/// Opens one of several folders sharing a connection (a NOTIFY watch): a folder still open from the last look is
/// taken as it is (IDLE needs one selected), any other is EXAMINEd, with QRESYNC where the connection has it.
/// When MailKit drops the shared connection over an answer it could not read, the read of this folder goes on on a
/// <see cref="ReplacementLease"/> (released when this opener is disposed); the watch then reconnects as after any
/// lost connection.
/// </summary>
internal sealed class FolderMailboxOpener : IMailboxOpener, IAsyncDisposable
{
    private readonly IMailFolder _folder;
    private readonly Action _opened;

    private readonly ReplacementLease _replacement;

    /// <summary>
    /// <paramref name="opened"/> is called right after this opener EXAMINEd the folder (what the EXAMINE said is not
    /// news); <paramref name="context"/> and <paramref name="lease"/> (the shared connection's) let it lend a replacement.
    /// </summary>
    internal FolderMailboxOpener(IMailFolder folder, bool quickResyncEnabled, Action opened, ClientContext? context = null, Pooling.ImapLease? lease = null)
    {
        _folder = folder;
        _opened = opened;
        _replacement = new ReplacementLease(context, lease, folder.FullName);
        Unreadable = new UnreadableMessages(context?.Logger ?? NullLogger.Instance, context?.Account.AccountKey ?? folder.FullName);
        CanQuickResync = quickResyncEnabled && !folder.IsOpen;
    }

    public bool CanQuickResync { get; }

    public UnreadableMessages Unreadable { get; }

    public bool ConnectionReplaced => _replacement.Used;

    public IFolderConnection ForReading(IMailFolder folder) => new Reading(this, folder);

    public ValueTask DisposeAsync() => _replacement.DisposeAsync();

    public async Task<IMailFolder> OpenAsync(CancellationToken cancellationToken)
    {
        if (!_folder.IsOpen)
        {
            await _folder.OpenAsync(FolderAccess.ReadOnly, cancellationToken).ConfigureAwait(false);
            _opened();
        }

        return _folder;
    }

    public Task<IMailFolder> GetAsync(CancellationToken cancellationToken) => Task.FromResult(_folder);

    public async Task OpenWithQuickResyncAsync(IMailFolder folder, uint uidValidity, ulong highestModSeq, IList<UniqueId> knownUids, CancellationToken cancellationToken)
    {
        await folder.OpenAsync(FolderAccess.ReadOnly, uidValidity, highestModSeq, knownUids, cancellationToken).ConfigureAwait(false);
        _opened();
    }

    private sealed class Reading(FolderMailboxOpener opener, IMailFolder folder) : IFolderConnection
    {
        public IMailFolder Folder { get; private set; } = folder;

        public async Task ReplaceAsync(Exception failure, CancellationToken cancellationToken)
            => Folder = await opener._replacement.ReplaceAsync(failure, Folder.UidValidity, cancellationToken).ConfigureAwait(false);
    }
}
