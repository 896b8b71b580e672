using System;
using System.Threading;
using System.Threading.Tasks;
using ImapRx.Pooling;
using MailKit;

namespace ImapRx.Operations;

/// <summary>
/// A fetch's folder on a pooled lease. A replacement first releases the broken lease (so a pool of one connection
/// can serve the next), then leases another and opens the folder there, in the same selection scope. The first
/// lease belongs to whoever passed it in (Leased.Run releases it again: a no-op); replacements belong to this
/// object and are released by <see cref="DisposeAsync"/>, or discarded by <see cref="Fail"/>.
/// </summary>
internal sealed class LeaseFolderConnection : IFolderConnection, IAsyncDisposable
{
    private readonly ClientContext _context;
    private readonly string _folderName;
    private readonly object? _scope;
    private ImapLease _lease;
    private bool _ownsLease;

    internal LeaseFolderConnection(ClientContext context, ImapLease lease, IMailFolder folder, string folderName, object? scope)
    {
        _context = context;
        _lease = lease;
        _folderName = folderName;
        _scope = scope;
        Folder = folder;
    }

    public IMailFolder Folder { get; private set; }

    public async Task ReplaceAsync(Exception failure, CancellationToken cancellationToken)
    {
        var uidValidity = Folder.UidValidity;
        _lease.Invalidate();
        await _lease.DisposeAsync().ConfigureAwait(false);
        _ownsLease = false;

        var lease = await _context.Pool.LeaseAsync(_context.Account, cancellationToken).ConfigureAwait(false);
        _lease = lease;
        _ownsLease = true;
        var folder = await lease.OpenFolderAsync(_folderName, FolderAccess.ReadOnly, _scope, cancellationToken).ConfigureAwait(false);
        if (folder.UidValidity != uidValidity)
        {
            throw new ImapUidValidityChangedException(_folderName, uidValidity, folder.UidValidity);
        }

        Folder = folder;
    }

    /// <summary>Records a failure of the work on a replacement lease (the first lease's owner records its own).</summary>
    internal void Fail(Exception exception)
    {
        if (_ownsLease)
        {
            _lease.Fail(exception);
        }
    }

    public ValueTask DisposeAsync() => _ownsLease ? _lease.DisposeAsync() : default;
}
