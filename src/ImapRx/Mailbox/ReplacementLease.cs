using System;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using ImapRx.Pooling;
using MailKit;

namespace ImapRx.Mailbox;

/// <summary>
/// A connection lent to a resynchronisation whose own connection MailKit dropped over an answer it could not read.
/// The owner's lease is discarded at once (its owner's later release does nothing), so even a pool of one connection
/// has a slot to lend; the replacement is released when this is disposed. The owner's own next command on the old
/// connection then fails as a lost connection does, and a watch reconnects from its ledger.
/// </summary>
internal sealed class ReplacementLease : IAsyncDisposable
{
    private readonly ClientContext? _context;
    private readonly ImapLease? _owner;
    private readonly string _folder;
    private ImapLease? _replacement;

    /// <summary>True once the owner's connection was discarded for a replacement.</summary>
    internal bool Used { get; private set; }

    /// <summary>Without <paramref name="context"/> and <paramref name="owner"/> nothing can be lent: the failure is thrown on.</summary>
    internal ReplacementLease(ClientContext? context, ImapLease? owner, string folder)
    {
        _context = context;
        _owner = owner;
        _folder = folder;
    }

    /// <summary>Discards the broken connection and returns the folder open read-only on another, same UIDVALIDITY.</summary>
    internal async Task<IMailFolder> ReplaceAsync(Exception failure, uint uidValidity, CancellationToken cancellationToken)
    {
        if (_context is null || _owner is null)
        {
            ExceptionDispatchInfo.Capture(failure).Throw();
        }

        Used = true;
        var broken = _replacement ?? _owner!;
        _replacement = null;
        broken.Invalidate();
        await broken.DisposeAsync().ConfigureAwait(false);
        _owner!.Invalidate();
        await _owner.DisposeAsync().ConfigureAwait(false);

        _replacement = await _context!.Pool.LeaseAsync(_context.Account, cancellationToken).ConfigureAwait(false);
        var folder = await _replacement.OpenFolderAsync(_folder, FolderAccess.ReadOnly, cancellationToken).ConfigureAwait(false);
        if (folder.UidValidity != uidValidity)
        {
            throw new ImapUidValidityChangedException(_folder, uidValidity, folder.UidValidity);
        }

        return folder;
    }

    public ValueTask DisposeAsync()
    {
        var replacement = Interlocked.Exchange(ref _replacement, null);
        return replacement?.DisposeAsync() ?? default;
    }
}
