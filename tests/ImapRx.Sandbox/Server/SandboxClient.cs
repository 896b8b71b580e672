using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;

namespace ImapRx.Sandbox.Server;

/// <summary>
/// "Another client" on the sandbox: its own MailKit connection that changes a mailbox behind the back of the
/// code under test (append, flags, expunge, folder delete/recreate). Calls are serialized, so one instance
/// may be shared by concurrent test code. Dovecot tells other sessions about these changes after ~0.5 s.
/// </summary>
public sealed class SandboxClient : IAsyncDisposable
{
    private readonly ImapClient _client;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private SandboxClient(ImapClient client, SandboxUser user)
    {
        _client = client;
        User = user;
    }

    /// <summary>Gets the user this client is logged in as.</summary>
    public SandboxUser User { get; }

    /// <summary>Connects over the plain port (no TLS: this is a helper, not the code under test) and logs in.</summary>
    public static async Task<SandboxClient> ConnectAsync(DovecotServer server, SandboxUser user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(user);
        var client = new ImapClient();
        try
        {
            await client.ConnectAsync(server.Host, server.PlainPort, SecureSocketOptions.None, cancellationToken).ConfigureAwait(false);
            await client.AuthenticateAsync(user.Name, user.Password, cancellationToken).ConfigureAwait(false);
            return new SandboxClient(client, user);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Appends a message and returns its UID (from UIDPLUS's APPENDUID).</summary>
    public Task<UniqueId> AppendAsync(string folder, MimeMessage message, MessageFlags flags = MessageFlags.None, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return RunAsync(folder, open: null, async f =>
        {
            var uid = await f.AppendAsync(message, flags, cancellationToken).ConfigureAwait(false);
            return uid ?? throw new InvalidOperationException("The server returned no APPENDUID.");
        }, cancellationToken);
    }

    /// <summary>Appends a corpus message with its flags and date, and returns its UID.</summary>
    public Task<UniqueId> AppendAsync(string folder, CorpusMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return RunAsync(folder, open: null, async f =>
        {
            var uid = await f.AppendAsync(message.ToMimeMessage(), message.Flags, message.InternalDate, cancellationToken).ConfigureAwait(false);
            return uid ?? throw new InvalidOperationException("The server returned no APPENDUID.");
        }, cancellationToken);
    }

    /// <summary>Adds flags to the given messages.</summary>
    public Task AddFlagsAsync(string folder, IList<UniqueId> uids, MessageFlags flags, CancellationToken cancellationToken = default) =>
        RunAsync(folder, FolderAccess.ReadWrite, async f =>
        {
            await f.AddFlagsAsync(uids, flags, silent: true, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>Removes flags from the given messages.</summary>
    public Task RemoveFlagsAsync(string folder, IList<UniqueId> uids, MessageFlags flags, CancellationToken cancellationToken = default) =>
        RunAsync(folder, FolderAccess.ReadWrite, async f =>
        {
            await f.RemoveFlagsAsync(uids, flags, silent: true, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>Marks the given messages \Deleted and expunges exactly those (UID EXPUNGE).</summary>
    public Task ExpungeAsync(string folder, IList<UniqueId> uids, CancellationToken cancellationToken = default) =>
        RunAsync(folder, FolderAccess.ReadWrite, async f =>
        {
            await f.AddFlagsAsync(uids, MessageFlags.Deleted, silent: true, cancellationToken).ConfigureAwait(false);
            await f.ExpungeAsync(uids, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>Gets a folder's UIDVALIDITY (via STATUS, without selecting it).</summary>
    public Task<uint> GetUidValidityAsync(string folder, CancellationToken cancellationToken = default) =>
        RunAsync(folder, open: null, async f =>
        {
            await f.StatusAsync(StatusItems.UidValidity, cancellationToken).ConfigureAwait(false);
            return f.UidValidity;
        }, cancellationToken);

    /// <summary>Lists the UIDs in a folder, ascending.</summary>
    public Task<IList<UniqueId>> GetUidsAsync(string folder, CancellationToken cancellationToken = default) =>
        RunAsync(folder, FolderAccess.ReadOnly, f => f.SearchAsync(MailKit.Search.SearchQuery.All, cancellationToken), cancellationToken);

    /// <summary>Creates a folder (and its missing parents), subscribed. <paramref name="name"/> uses <see cref="SandboxFolders.Separator"/>.</summary>
    public async Task CreateFolderAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await CreateFolderCoreAsync(name, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Deletes a folder and everything in it.</summary>
    public async Task DeleteFolderAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var folder = await _client.GetFolderAsync(name, cancellationToken).ConfigureAwait(false);
            if (folder.IsOpen)
            {
                await folder.CloseAsync(expunge: false, cancellationToken).ConfigureAwait(false);
            }

            await folder.DeleteAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Deletes and recreates a folder, so it is empty with a new UIDVALIDITY; returns that UIDVALIDITY.</summary>
    public async Task<uint> DeleteAndRecreateFolderAsync(string name, CancellationToken cancellationToken = default)
    {
        var before = await GetUidValidityAsync(name, cancellationToken).ConfigureAwait(false);
        await DeleteFolderAsync(name, cancellationToken).ConfigureAwait(false);
        await CreateFolderAsync(name, cancellationToken).ConfigureAwait(false);
        var after = await GetUidValidityAsync(name, cancellationToken).ConfigureAwait(false);
        return after != before
            ? after
            : throw new InvalidOperationException($"UIDVALIDITY of '{name}' did not change ({after}).");
    }

    /// <summary>Logs out and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_client.IsConnected)
            {
                await _client.DisconnectAsync(quit: true).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or ImapProtocolException or ImapCommandException or OperationCanceledException)
        {
            // The connection is going away either way.
        }
        finally
        {
            _client.Dispose();
            _gate.Dispose();
        }
    }

    private async Task CreateFolderCoreAsync(string name, CancellationToken cancellationToken)
    {
        var parent = _client.GetFolder(_client.PersonalNamespaces[0])
            ?? throw new InvalidOperationException("The server has no personal namespace.");
        foreach (var segment in name.Split(SandboxFolders.Separator))
        {
            // Ask the server (LIST) rather than MailKit's folder cache, which still holds folders deleted a moment ago.
            var children = await parent.GetSubfoldersAsync(subscribedOnly: false, cancellationToken).ConfigureAwait(false);
            var existing = children.FirstOrDefault(f => f.Name == segment);
            parent = existing
                ?? await parent.CreateAsync(segment, isMessageFolder: true, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Creating '{segment}' in '{parent.FullName}' returned no folder.");
        }

        await parent.SubscribeAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> RunAsync<T>(string folder, FolderAccess? open, Func<IMailFolder, Task<T>> action, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var mailFolder = await _client.GetFolderAsync(folder, cancellationToken).ConfigureAwait(false);
            if (open is { } access && (!mailFolder.IsOpen || mailFolder.Access < access))
            {
                await mailFolder.OpenAsync(access, cancellationToken).ConfigureAwait(false);
            }

            return await action(mailFolder).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }
}
