using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ImapRx.Configuration;
using MailKit;
using System.Reactive.Concurrency;
using ImapRx.Diagnostics;
using Microsoft.Extensions.Logging;

namespace ImapRx.Pooling;

/// <summary>
/// Connections per account (the spec's <c>IMAPConnectionPool</c>): at most
/// <see cref="ImapAccountOptions.MaxConnections"/> each, handed out as leases, reused while healthy.
/// Thread-safe.
/// </summary>
public sealed class ImapConnectionPool : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, AccountPool> _accounts = new(StringComparer.Ordinal);
    private readonly ILogger _logger;
    private int _disposed;

    /// <summary>Creates an empty pool.</summary>
    public ImapConnectionPool(ImapPoolOptions? options = null)
    {
        Options = options ?? new ImapPoolOptions();
        _logger = Options.LoggerFactory.CreateLogger("ImapRx.Pooling");
        Metrics = ImapRxMetrics.For(Options.MeterFactory);
    }

    /// <summary>The pool's settings.</summary>
    public ImapPoolOptions Options { get; }

    /// <summary>The instruments this pool and the streams on it record to (from <see cref="ImapPoolOptions.MeterFactory"/>).</summary>
    internal ImapRxMetrics Metrics { get; }

    /// <summary>
    /// Leases a connection to <paramref name="account"/>, waiting for a free one up to the account's lease timeout.
    /// The most recently used idle connection is handed out first. No connection is preferred for the folder it
    /// has selected: every lease SELECTs its folder again (a folder recreated elsewhere must be noticed), so such a
    /// preference saved nothing; only one parallel fetch keeps its selection between its own batches.
    /// </summary>
    /// <exception cref="ImapLeaseTimeoutException">No connection became free in time.</exception>
    internal ValueTask<ImapLease> LeaseAsync(ImapAccountOptions account, CancellationToken cancellationToken = default)
    {
        if (account is null)
        {
            throw new ArgumentNullException(nameof(account));
        }

        ThrowIfDisposed();
        return GetAccount(account).LeaseAsync(isIdleLease: false, cancellationToken);
    }

    /// <summary>
    /// Leases a counted slot for a connection ImapRx opens itself (the bulk FETCH reader's): it counts against the
    /// account's connection limit, as a lease and as an open connection, until disposed. Closes an idle pooled
    /// connection first when the limit would otherwise be passed.
    /// </summary>
    internal ValueTask<IAsyncDisposable> LeaseSlotAsync(ImapAccountOptions account, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return GetAccount(account).LeaseSlotAsync(cancellationToken);
    }

    /// <summary>
    /// As <see cref="LeaseSlotAsync"/>, but only a slot that is free now and that nobody is waiting for; null
    /// otherwise. A parallel native fetch takes its extra bulk sessions this way: waiting for a slot while it holds
    /// others could wait on itself.
    /// </summary>
    internal ValueTask<IAsyncDisposable?> TryLeaseSlotAsync(ImapAccountOptions account)
    {
        ThrowIfDisposed();
        return GetAccount(account).TryLeaseSlotAsync();
    }

    /// <summary>
    /// Leases a connection for IDLE: it is never shared and is closed (not reused) on release,
    /// and it counts against the account's connection limit.
    /// </summary>
    internal ValueTask<ImapLease> LeaseForIdleAsync(ImapAccountOptions account, CancellationToken cancellationToken = default)
    {
        if (account is null)
        {
            throw new ArgumentNullException(nameof(account));
        }

        ThrowIfDisposed();
        return GetAccount(account).LeaseAsync(isIdleLease: true, cancellationToken);
    }

    /// <summary>
    /// A health check: leases a connection to <paramref name="account"/> (opening one if none is idle), sends NOOP and
    /// hands it back. Fails with the <see cref="ImapRxException"/> that says why; a broken connection is discarded.
    /// </summary>
    public async Task PingAsync(ImapAccountOptions account, CancellationToken cancellationToken = default)
    {
        var lease = await LeaseAsync(account, cancellationToken).ConfigureAwait(false);
        try
        {
            await lease.Client.NoOpAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            var error = ImapErrors.Translate(ex, "NOOP");
            lease.Fail(error);
            if (ReferenceEquals(error, ex))
            {
                throw;
            }

            throw error;
        }
        finally
        {
            await lease.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Closes the idle connections of one account, or of every account when null.</summary>
    public async ValueTask ClearAsync(ImapAccountOptions? account = null)
    {
        var targets = account is null
            ? _accounts.Values.ToList()
            : _accounts.TryGetValue(PoolKey(account), out var one) ? new List<AccountPool> { one } : new List<AccountPool>();
        foreach (var pool in targets)
        {
            await pool.ClearIdleAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Counts for one account: open connections, leases in use.</summary>
    public ImapPoolStatistics GetStatistics(ImapAccountOptions account)
        => _accounts.TryGetValue(PoolKey(account), out var pool) ? pool.Statistics() : new ImapPoolStatistics(0, 0, 0);

    /// <summary>Closes every idle connection; leases still out are closed when released.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var pool in _accounts.Values)
        {
            await pool.ClearIdleAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The retry policy of <paramref name="account"/>: one per account and pool, shared by all its clients.</summary>
    internal Resilience.RetryPolicy RetryPolicyFor(ImapAccountOptions account) => GetAccount(account).Retry;

    /// <summary>
    /// The account's pool, created on first use. Its options freeze then; another options object for the same
    /// account must agree with them on every setting the pool applies, or the second caller's limits would be
    /// silently ignored.
    /// </summary>
    /// <exception cref="ArgumentException">The pool already serves the account with other settings.</exception>
    private AccountPool GetAccount(ImapAccountOptions account)
    {
        account.Freeze();
        var pool = _accounts.GetOrAdd(PoolKey(account), _ => new AccountPool(account, this));
        if (!ReferenceEquals(pool.Account, account) && pool.Account.FirstPoolSettingDifferentFrom(account) is { } difference)
        {
            throw new ArgumentException(
                $"This pool already serves {account.AccountKey} with other settings: {difference}. Use one ImapAccountOptions " +
                "for the account on this pool, or give this client a pool of its own.",
                nameof(account));
        }

        return pool;
    }

    // Same server, port and user share connections only when they also hold the same secret: a wrong password
    // must never be handed a connection someone else authenticated.
    private static string PoolKey(ImapAccountOptions account) => account.AccountKey + "\u0001" + account.Credential.PoolIdentity;

    private void ThrowIfDisposed()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            throw new ObjectDisposedException(nameof(ImapConnectionPool));
        }
    }

    private sealed class AccountPool
    {
        private readonly ImapAccountOptions _account;
        private readonly ImapConnectionPool _owner;
        private readonly FifoGate _slots;
        private readonly List<ImapConnection> _idle = new();
        private readonly object _gate = new();
        private readonly Dictionary<ImapConnection, IDisposable> _evictions = new();
        private readonly HashSet<Task> _closing = new();
        private readonly Polly.ResiliencePipeline _connectPipeline;
        private readonly Resilience.RetryPolicy _retry;
        private readonly KeyValuePair<string, object?> _serverAddress;
        private readonly KeyValuePair<string, object?> _serverPort;
        private int _nextNumber;
        private int _open;
        private int _inUse;

        internal AccountPool(ImapAccountOptions account, ImapConnectionPool owner)
        {
            _account = account;
            _owner = owner;

            // Every pool metric says which server it is about (OpenTelemetry's names), so a process with several
            // accounts, or a monitor watching one of them, can tell them apart. Never the user name or a secret.
            _serverAddress = new KeyValuePair<string, object?>("server.address", account.Host);
            _serverPort = new KeyValuePair<string, object?>("server.port", account.Port);
            _slots = new FifoGate(account.MaxConnections, owner.Options.Scheduler);
            _retry = Resilience.RetryPolicy.FromAccount(account);
            _connectPipeline = Resilience.ConnectResilience.Create(
                _retry,
                account.ConnectPipeline,
                new Resilience.SchedulerTimeProvider(owner.Options.Scheduler),
                (attempt, delay, error) =>
                {
                    _owner.Metrics.RetryCount.Add(1, _serverAddress, _serverPort);
                    Log.ConnectRetry(owner._logger, $"{account.Host}:{account.Username}", attempt, delay, error);
                });
        }


        /// <summary>The account's one retry policy: connects here, and the cold streams and watches of its clients.</summary>
        internal Resilience.RetryPolicy Retry => _retry;

        internal ImapAccountOptions Account => _account;

        internal ImapPoolStatistics Statistics()
        {
            lock (_gate)
            {
                return new ImapPoolStatistics(Volatile.Read(ref _open), Volatile.Read(ref _inUse), _idle.Count, _slots.Waiting);
            }
        }

        internal async ValueTask<ImapLease> LeaseAsync(bool isIdleLease, CancellationToken cancellationToken)
        {
            var started = _owner.Options.Scheduler.Now;
            _owner.Metrics.Waiting.Add(1, _serverAddress, _serverPort);
            bool granted;
            try
            {
                granted = await _slots.WaitAsync(_account.LeaseTimeout, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _owner.Metrics.Waiting.Add(-1, _serverAddress, _serverPort);
                _owner.Metrics.WaitTime.Record((_owner.Options.Scheduler.Now - started).TotalSeconds, _serverAddress, _serverPort);
            }

            if (!granted)
            {
                throw new ImapLeaseTimeoutException(_account.AccountKey, _account.LeaseTimeout, _account.MaxConnections);
            }

            try
            {
                var connection = await TakeIdleAsync(cancellationToken).ConfigureAwait(false);
                if (connection is null)
                {
                    await ClosedAsync().ConfigureAwait(false);
                    connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
                }

                Interlocked.Increment(ref _inUse);
                _owner.Metrics.InUse.Add(1, _serverAddress, _serverPort);
                return new ImapLease(connection, isIdleLease, ReleaseAsync);
            }
            catch
            {
                _slots.Release();
                throw;
            }
        }

        internal async ValueTask<IAsyncDisposable> LeaseSlotAsync(CancellationToken cancellationToken)
        {
            if (!await _slots.WaitAsync(_account.LeaseTimeout, cancellationToken).ConfigureAwait(false))
            {
                throw new ImapLeaseTimeoutException(_account.AccountKey, _account.LeaseTimeout, _account.MaxConnections);
            }

            return await SlotTakenAsync().ConfigureAwait(false);
        }

        internal async ValueTask<IAsyncDisposable?> TryLeaseSlotAsync()
            => _slots.TryTake() ? await SlotTakenAsync().ConfigureAwait(false) : null;

        /// <summary>A slot was taken from the gate: make room among the open connections and count it.</summary>
        private async ValueTask<IAsyncDisposable> SlotTakenAsync()
        {
            ImapConnection? surplus = null;
            lock (_gate)
            {
                // Every slot holder has (or is still connecting) one connection, and every idle connection is open:
                // the holders, this slot included, and the idle ones must fit the limit. Open connections alone
                // miss a lease still connecting, which is counted only once it has logged in.
                if ((Volatile.Read(ref _open) >= _account.MaxConnections || _slots.Taken + _idle.Count > _account.MaxConnections) && _idle.Count > 0)
                {
                    surplus = _idle[0];
                    _idle.RemoveAt(0);
                    CancelEviction(surplus);
                }
            }

            try
            {
                if (surplus is not null)
                {
                    await CloseAsync(surplus).ConfigureAwait(false);
                }

                await ClosedAsync().ConfigureAwait(false);
            }
            catch
            {
                _slots.Release();
                throw;
            }

            Interlocked.Increment(ref _open);
            Interlocked.Increment(ref _inUse);
            _owner.Metrics.OpenConnections.Add(1, _serverAddress, _serverPort);
            _owner.Metrics.InUse.Add(1, _serverAddress, _serverPort);
            return new Slot(this);
        }

        private void ReleaseSlot()
        {
            Interlocked.Decrement(ref _open);
            Interlocked.Decrement(ref _inUse);
            _owner.Metrics.OpenConnections.Add(-1, _serverAddress, _serverPort);
            _owner.Metrics.InUse.Add(-1, _serverAddress, _serverPort);
            _slots.Release();
        }

        private sealed class Slot : IAsyncDisposable
        {
            private AccountPool? _pool;

            internal Slot(AccountPool pool) => _pool = pool;

            public ValueTask DisposeAsync()
            {
                Interlocked.Exchange(ref _pool, null)?.ReleaseSlot();
                return default;
            }
        }

        internal async ValueTask ClearIdleAsync()
        {
            List<ImapConnection> closing;
            lock (_gate)
            {
                closing = _idle.ToList();
                _idle.Clear();
                foreach (var connection in closing)
                {
                    CancelEviction(connection);
                }
            }

            foreach (var connection in closing)
            {
                await CloseAsync(connection).ConfigureAwait(false);
            }
        }

        private async ValueTask<ImapConnection?> TakeIdleAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                ImapConnection? candidate;
                lock (_gate)
                {
                    candidate = _idle.LastOrDefault();
                    if (candidate is null)
                    {
                        return null;
                    }

                    _idle.Remove(candidate);
                    CancelEviction(candidate);
                }

                if (await IsHealthyAsync(candidate, cancellationToken).ConfigureAwait(false))
                {
                    return candidate;
                }

                await CloseAsync(candidate).ConfigureAwait(false);
            }
        }

        private async ValueTask<bool> IsHealthyAsync(ImapConnection connection, CancellationToken cancellationToken)
        {
            if (connection.IsBroken)
            {
                return false;
            }

            if (_owner.Options.Scheduler.Now - connection.LastUsedAt < _account.HealthCheckAfter)
            {
                return true;
            }

            try
            {
                await connection.Client.NoOpAsync(cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.HealthCheckFailed(_owner._logger, connection.ConnectionId, ex);
                return false;
            }
        }

        private async Task<ImapConnection> OpenAsync(CancellationToken cancellationToken)
        {
            var attempts = 0;
            using var activity = ImapRxDiagnostics.Source.StartActivity("imaprx.connect", System.Diagnostics.ActivityKind.Client);
            activity?.SetTag("server.address", _account.Host);
            activity?.SetTag("server.port", _account.Port);
            try
            {
                return await _connectPipeline.ExecuteAsync(
                    async token =>
                    {
                        attempts++;
                        return await OpenOnceAsync(token).ConfigureAwait(false);
                    },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (ImapRxException ex) when (ex.IsTransient && !cancellationToken.IsCancellationRequested)
            {
                throw new ImapConnectException(_account.Host, _account.Port, attempts, ex);
            }
        }

        private async Task<ImapConnection> OpenOnceAsync(CancellationToken cancellationToken)
        {
            var number = Interlocked.Increment(ref _nextNumber) - 1;
            var client = ImapConnectionFactory.CreateClient(_account, _owner.Options.ProtocolLog, $"{_account.Host}:{_account.Username}#{number}");
            var connection = new ImapConnection(_account, number, client, _owner.Options.Scheduler);
            connection.SetState(ImapConnectionState.Connecting);
            try
            {
                await ImapConnectionFactory.ConnectAndAuthenticateAsync(client, _account, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                connection.SetState(ImapConnectionState.Error);
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            connection.SetState(ImapConnectionState.Authenticated);
            Interlocked.Increment(ref _open);
            _owner.Metrics.OpenConnections.Add(1, _serverAddress, _serverPort);
            Log.Connected(_owner._logger, connection.ConnectionId, _account.Host, _account.Port);
            return connection;
        }

        private async ValueTask ReleaseAsync(ImapLease lease)
        {
            var connection = lease.Connection;
            Interlocked.Decrement(ref _inUse);
            _owner.Metrics.InUse.Add(-1, _serverAddress, _serverPort);
            try
            {
                // IDLE holds its connection exclusively; it is closed rather than handed to someone else mid-IDLE.
                if (lease.IsInvalidated || lease.IsIdleLease || connection.IsBroken || Volatile.Read(ref _owner._disposed) != 0)
                {
                    if (lease.IsInvalidated || connection.IsBroken)
                    {
                        Log.Discarded(_owner._logger, connection.ConnectionId);
                    }

                    await CloseAsync(connection).ConfigureAwait(false);
                    return;
                }

                connection.Touch();
                lock (_gate)
                {
                    _idle.Add(connection);

                    // Evict exactly ConnectionIdleLifetime after the connection went idle, on the pool's clock.
                    _evictions[connection] = _owner.Options.Scheduler.Schedule(_account.ConnectionIdleLifetime, () => Evict(connection));
                }
            }
            finally
            {
                _slots.Release();
            }
        }

        private void CancelEviction(ImapConnection connection)
        {
            if (_evictions.TryGetValue(connection, out var eviction))
            {
                eviction.Dispose();
                _evictions.Remove(connection);
            }
        }

        private void Evict(ImapConnection connection)
        {
            lock (_gate)
            {
                if (!_idle.Remove(connection))
                {
                    return; // handed out meanwhile
                }

                _evictions.Remove(connection);
            }

            _owner.Metrics.EvictionCount.Add(1, _serverAddress, _serverPort);
            Log.Evicted(_owner._logger, connection.ConnectionId, _account.ConnectionIdleLifetime);
            _ = CloseAsync(connection).AsTask();
        }

        private async ValueTask CloseAsync(ImapConnection connection)
        {
            Interlocked.Decrement(ref _open);
            _owner.Metrics.OpenConnections.Add(-1, _serverAddress, _serverPort);
            var closing = connection.DisposeAsync().AsTask();
            lock (_gate)
            {
                _closing.Add(closing);
            }

            try
            {
                await closing.ConfigureAwait(false);
            }
            finally
            {
                lock (_gate)
                {
                    _closing.Remove(closing);
                }
            }
        }

        /// <summary>
        /// Waits for the connections still logging out (an eviction runs in the background): a new session is
        /// opened only after them, so the server never counts an old one and its replacement at once.
        /// </summary>
        private async ValueTask ClosedAsync()
        {
            Task[] closing;
            lock (_gate)
            {
                if (_closing.Count == 0)
                {
                    return;
                }

                closing = _closing.ToArray();
            }

            await Task.WhenAll(closing).ConfigureAwait(false);
        }
    }
}
