using System;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Threading;
using System.Threading.Tasks;
using ImapRx.Configuration;
using ImapRx.Pooling;

namespace ImapRx;

/// <summary>
/// The ImapRx client for one account, over a connection pool that may be shared with other clients.
/// Feature members live in partial files: <c>.Folders</c>, <c>.Messages</c>, <c>.Search</c>,
/// <c>.Operations</c>, <c>.Watch</c>, <c>.Sync</c>.
/// </summary>
public sealed partial class ImapRxClient : IImapRxClient
{
    private readonly bool _ownsPool;
    private int _disposed;

    /// <summary>Creates a client with a pool of its own.</summary>
    public ImapRxClient(ImapAccountOptions account, ImapPoolOptions? poolOptions = null)
        : this(account, new ImapConnectionPool(poolOptions), ownsPool: true)
    {
    }

    /// <summary>Creates a client on a shared pool (the pool is not disposed with the client).</summary>
    public ImapRxClient(ImapAccountOptions account, ImapConnectionPool pool)
        : this(account, pool, ownsPool: false)
    {
    }

    private ImapRxClient(ImapAccountOptions account, ImapConnectionPool pool, bool ownsPool)
    {
        Context = new ClientContext(account, pool);
        _ownsPool = ownsPool;
    }

    /// <inheritdoc/>
    public ImapAccountOptions Account => Context.Account;

    /// <summary>The pool the client leases connections from.</summary>
    public ImapConnectionPool Pool => Context.Pool;

    /// <summary>The scheduler that runs every timer of this client (from the pool options).</summary>
    public IScheduler Scheduler => Context.Scheduler;

    /// <summary>What operations and watchers get instead of the client.</summary>
    internal ClientContext Context { get; }

    /// <summary>
    /// Ends every stream of this client and closes its connections. Watches complete (OnCompleted) after ending IDLE
    /// and logging out; a cold stream still running is cancelled and fails with <see cref="ObjectDisposedException"/>
    /// (its connection, mid-command, is closed rather than pooled); subscribing afterwards fails the same way. Returns
    /// once every stream has ended. Then the pool is closed if the client owns it (its idle connections log out);
    /// a shared pool keeps its idle connections for its other clients.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // A watch whose server does not answer DONE is given the account's Timeout, then cut.
        await Context.Lifetime.CloseAsync(Account.Timeout, Scheduler).ConfigureAwait(false);
        if (_ownsPool)
        {
            await Pool.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void ThrowIfDisposed()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            throw new ObjectDisposedException(nameof(ImapRxClient));
        }
    }
}
