using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using ImapRx.Pooling;
using MailKit;
using MailKit.Net.Imap;

namespace ImapRx.Mailbox;

/// <summary>Opens a folder by name on a lease of its own (a single-folder watch, a sync).</summary>
internal sealed class LeaseMailboxOpener : IMailboxOpener
{
    private readonly ImapLease _lease;
    private readonly string _folder;
    private readonly Action? _opened;

    /// <summary>
    /// <paramref name="useQuickResync"/>: the account allows QRESYNC (the connection enabled it if the server has it);
    /// <paramref name="opened"/> is called once the folder is open, before anything it said is applied.
    /// </summary>
    internal LeaseMailboxOpener(ImapLease lease, string folder, bool useQuickResync, Action? opened = null)
    {
        _lease = lease;
        _folder = folder;
        _opened = opened;
        CanQuickResync = useQuickResync && lease.Client.Capabilities.HasFlag(ImapCapabilities.QuickResync);
    }

    public bool CanQuickResync { get; }

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
}
