using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MailKit;
using MailKit.Net.Imap;

namespace ImapRx.Pooling;

/// <summary>
/// Exclusive use of one pooled connection until disposed. Disposing hands a healthy connection back
/// to the pool and throws a broken one away.
/// </summary>
internal sealed class ImapLease : IDisposable, IAsyncDisposable
{
    private readonly Func<ImapLease, ValueTask> _release;
    private int _released;

    internal ImapLease(ImapConnection connection, bool isIdleLease, Func<ImapLease, ValueTask> release)
    {
        Connection = connection;
        IsIdleLease = isIdleLease;
        _release = release;
    }

    /// <summary>The leased connection.</summary>
    internal ImapConnection Connection { get; }

    /// <summary>Shortcut for <c>Connection.Client</c>.</summary>
    internal ImapClient Client => Connection.Client;

    /// <summary>The connection id, <c>host:user#n</c>.</summary>
    internal string ConnectionId => Connection.ConnectionId;

    /// <summary>True for a dedicated IDLE lease (it still counts against the account's limit).</summary>
    internal bool IsIdleLease { get; }

    /// <summary>True when the connection will be thrown away on release.</summary>
    internal bool IsInvalidated { get; private set; }

    /// <summary>
    /// Opens <paramref name="folder"/> (reusing the selection when it is already open with enough access).
    /// </summary>
    /// <exception cref="ImapFolderNotFoundException">The folder does not exist.</exception>
    internal Task<IMailFolder> OpenFolderAsync(string folder, FolderAccess access = FolderAccess.ReadOnly, CancellationToken cancellationToken = default)
        => OpenFolderAsync(folder, access, scope: null, cancellationToken);

    /// <summary>
    /// As <see cref="OpenFolderAsync(string, FolderAccess, CancellationToken)"/>, but a connection on which the same
    /// <paramref name="scope"/> (one parallel fetch) already selected the folder keeps that selection: a SELECT costs
    /// a full mailbox open on the server (0.15-0.5 s for a 20,000-message Maildir on Dovecot, more at 100,000),
    /// and the batches of one fetch share one UIDVALIDITY check, as they do on a single connection.
    /// </summary>
    internal async Task<IMailFolder> OpenFolderAsync(string folder, FolderAccess access, object? scope, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(folder))
        {
            throw new ArgumentException("A folder name is required.", nameof(folder));
        }

        if (scope is not null
            && ReferenceEquals(Connection.SelectionScope, scope)
            && Connection.SelectedFolder is { } selected
            && (access == FolderAccess.ReadOnly || selected.Access == FolderAccess.ReadWrite))
        {
            return selected;
        }

        // Otherwise SELECT again, even when this connection already has the folder selected: another client may have
        // deleted and recreated it (new UIDVALIDITY) without this session being told, and stale UIDs lose mail.
        var mailFolder = await GetFolderAsync(folder, cancellationToken).ConfigureAwait(false);
        try
        {
            await mailFolder.OpenAsync(access, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ImapErrors.IsNo(ex))
        {
            throw new ImapFolderNotFoundException(folder, ex);
        }

        Connection.OpenFolder = mailFolder;
        Connection.SelectionScope = scope;
        Connection.SetState(ImapConnectionState.Selected);
        return mailFolder;
    }

    /// <summary>
    /// Opens <paramref name="mailFolder"/> read-only with QRESYNC (RFC 7162): the server answers the EXAMINE with what
    /// changed since <paramref name="highestModSeq"/> (VANISHED (EARLIER) for expunged UIDs among
    /// <paramref name="knownUids"/>, FETCH for changed flags), raised as the folder's events while this runs. When
    /// <paramref name="uidValidity"/> is no longer the folder's, the server reports nothing and the caller sees the
    /// new UIDVALIDITY on the folder.
    /// </summary>
    internal async Task QuickResyncAsync(IMailFolder mailFolder, uint uidValidity, ulong highestModSeq, IList<UniqueId> knownUids, CancellationToken cancellationToken)
    {
        if (mailFolder.IsOpen)
        {
            // Some MailKit versions keep an already open folder as it is; the resync has to come from a fresh EXAMINE.
            // Close(false) is UNSELECT (or only a local reset without it), never CLOSE: nothing is expunged.
            await mailFolder.CloseAsync(false, cancellationToken).ConfigureAwait(false);
            Connection.OpenFolder = null;
            Connection.SetState(ImapConnectionState.Authenticated);
        }

        try
        {
            await mailFolder.OpenAsync(FolderAccess.ReadOnly, uidValidity, highestModSeq, knownUids, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ImapErrors.IsNo(ex))
        {
            throw new ImapFolderNotFoundException(mailFolder.FullName, ex);
        }

        Connection.OpenFolder = mailFolder;
        Connection.SelectionScope = null;
        Connection.SetState(ImapConnectionState.Selected);
    }

    /// <summary>Looks a folder up without selecting it.</summary>
    /// <exception cref="ImapFolderNotFoundException">The folder does not exist.</exception>
    internal async Task<IMailFolder> GetFolderAsync(string folder, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(folder))
        {
            throw new ArgumentException("A folder name is required.", nameof(folder));
        }

        if (string.Equals(folder, "INBOX", StringComparison.OrdinalIgnoreCase))
        {
            return Client.Inbox;
        }

        try
        {
            return await Client.GetFolderAsync(folder, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ImapErrors.Translate(ex) is ImapFolderNotFoundException)
        {
            throw new ImapFolderNotFoundException(folder, ex);
        }
    }

    /// <summary>Marks the connection as broken so the pool discards it on release.</summary>
    internal void Invalidate()
    {
        IsInvalidated = true;
        Connection.SetState(ImapConnectionState.Error);
    }

    /// <summary>Records a failure: invalidates the connection if the error means it can't be trusted.</summary>
    /// <returns><paramref name="exception"/>, for <c>throw lease.Fail(ex)</c>-style use.</returns>
    internal Exception Fail(Exception exception)
    {
        if (ImapErrors.BreaksConnection(exception))
        {
            Invalidate();
        }

        return exception;
    }

    /// <inheritdoc/>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
        => Interlocked.Exchange(ref _released, 1) == 0 ? _release(this) : default;

    /// <inheritdoc/>
    public override string ToString() => $"Lease of {Connection}";
}
