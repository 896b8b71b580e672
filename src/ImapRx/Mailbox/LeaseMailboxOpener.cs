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
/// connection over an answer it could not read, the read goes on on a <see cref="ReplacementLease"/>, released when
/// this opener is disposed.
/// </summary>
internal sealed class LeaseMailboxOpener : IMailboxOpener, IAsyncDisposable
{
    private readonly ImapLease _lease;
    private readonly string _folder;
    private readonly Action? _opened;
    private readonly ReplacementLease _replacement;

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
        _replacement = new ReplacementLease(context, context is null ? null : lease, folder);
        CanQuickResync = useQuickResync && lease.Client.Capabilities.HasFlag(ImapCapabilities.QuickResync);
        Unreadable = new UnreadableMessages(context?.Logger ?? NullLogger.Instance, context?.Account.AccountKey ?? folder);
    }

    public bool CanQuickResync { get; }

    public UnreadableMessages Unreadable { get; }

    public bool ConnectionReplaced => _replacement.Used;

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

    public ValueTask DisposeAsync() => _replacement.DisposeAsync();

    private sealed class Reading(LeaseMailboxOpener opener, IMailFolder folder) : IFolderConnection
    {
        public IMailFolder Folder { get; private set; } = folder;

        public async Task ReplaceAsync(Exception failure, CancellationToken cancellationToken)
            => Folder = await opener._replacement.ReplaceAsync(failure, Folder.UidValidity, cancellationToken).ConfigureAwait(false);
    }
}
