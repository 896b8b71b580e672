using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using ImapRx.Operations;
using ImapRx.Pooling;
using MailKit;
using MailKit.Net.Imap;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImapRx.Mailbox;

/// <summary>
/// Opens a folder by name on a lease of its own (a single-folder watch, a sync). When MailKit drops the lease's
/// connection over an answer it could not read, the lease is discarded at once (its owner's later release does
/// nothing) and the read goes on with a replacement lease from the pool, released when this opener is disposed.
/// The owner's own work on the old connection then fails as a lost connection does (a watch reconnects).
/// </summary>
internal sealed class LeaseMailboxOpener : IMailboxOpener, IAsyncDisposable
{
    private readonly ImapLease _lease;
    private readonly string _folder;
    private readonly Action? _opened;
    private readonly ClientContext? _context;
    private ImapLease? _replacement;

    /// <summary>
    /// <paramref name="useQuickResync"/>: the account allows QRESYNC (the connection enabled it if the server has it);
    /// <paramref name="opened"/> is called once the folder is open, before anything it said is applied;
    /// <paramref name="context"/> lends replacement connections (without it, an unreadable answer fails the read).
    /// </summary>
    internal LeaseMailboxOpener(ImapLease lease, string folder, bool useQuickResync, Action? opened = null, ClientContext? context = null)
    {
        _lease = lease;
        _folder = folder;
        _opened = opened;
        _context = context;
        CanQuickResync = useQuickResync && lease.Client.Capabilities.HasFlag(ImapCapabilities.QuickResync);
        Unreadable = new UnreadableMessages(context?.Logger ?? NullLogger.Instance, context?.Account.AccountKey ?? folder);
    }

    public bool CanQuickResync { get; }

    public UnreadableMessages Unreadable { get; }

    public async Task<IMailFolder> OpenAsync(CancellationToken cancellationToken)
    {
        var folder = await _lease.OpenFolderAsync(_folder, FolderAccess.ReadOnly, cancellationToken).ConfigureAwait(false);
        _opened?.Invoke();
        return folder;
    }

    public Task<IMailFolder> GetAsync(CancellationToken cancellationToken) => _lease.GetFolderAsync(_folder, cancellationToken);

    public async Task OpenWithQuickResyncAsync(IMailFolder folder, uint uidValidity, ulong highestModSeq, IList<UniqueId> knownUids, CancellationToken cancellationToken)
    {
        await _lease.QuickResyncAsync(folder, uidValidity, highestModSeq, knownUids, cancellationToken).ConfigureAwait(false);
        _opened?.Invoke();
    }

    public IFolderConnection ForReading(IMailFolder folder) => new Reading(this, folder);

    public ValueTask DisposeAsync()
    {
        var replacement = Interlocked.Exchange(ref _replacement, null);
        return replacement?.DisposeAsync() ?? default;
    }

    private async Task<IMailFolder> ReplaceAsync(Exception failure, uint uidValidity, CancellationToken cancellationToken)
    {
        if (_context is null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }

        // A pool of one connection has no other to lend: give the broken one back first.
        var broken = _replacement ?? _lease;
        broken.Invalidate();
        await broken.DisposeAsync().ConfigureAwait(false);
        _lease.Invalidate();
        _replacement = null;

        _replacement = await _context!.Pool.LeaseAsync(_context.Account, cancellationToken).ConfigureAwait(false);
        var folder = await _replacement.OpenFolderAsync(_folder, FolderAccess.ReadOnly, cancellationToken).ConfigureAwait(false);
        if (folder.UidValidity != uidValidity)
        {
            throw new ImapUidValidityChangedException(_folder, uidValidity, folder.UidValidity);
        }

        return folder;
    }

    private sealed class Reading(LeaseMailboxOpener opener, IMailFolder folder) : IFolderConnection
    {
        public IMailFolder Folder { get; private set; } = folder;

        public async Task ReplaceAsync(Exception failure, CancellationToken cancellationToken)
            => Folder = await opener.ReplaceAsync(failure, Folder.UidValidity, cancellationToken).ConfigureAwait(false);
    }
}
