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
/// The connection is shared by every folder of the watch, so it has no replacement to offer: an answer MailKit
/// cannot read fails the read (the watch then stops with <see cref="ImapResponseUnreadableException"/>).
/// </summary>
internal sealed class FolderMailboxOpener : IMailboxOpener
{
    private readonly IMailFolder _folder;
    private readonly Action _opened;

    /// <summary><paramref name="opened"/> is called right after this opener EXAMINEd the folder (what the EXAMINE said is not news).</summary>
    internal FolderMailboxOpener(IMailFolder folder, bool quickResyncEnabled, Action opened)
    {
        _folder = folder;
        _opened = opened;
        CanQuickResync = quickResyncEnabled && !folder.IsOpen;
    }

    public bool CanQuickResync { get; }

    public UnreadableMessages Unreadable { get; } = new(NullLogger.Instance, string.Empty);

    public IFolderConnection ForReading(IMailFolder folder) => new Fixed(folder);

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

    private sealed class Fixed(IMailFolder folder) : IFolderConnection
    {
        public IMailFolder Folder { get; } = folder;

        public Task ReplaceAsync(Exception failure, CancellationToken cancellationToken)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
            return Task.CompletedTask;
        }
    }
}
