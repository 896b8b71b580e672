using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ImapRx.Configuration;
using ImapRx.Pooling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ImapRx.Extensions.Hosting;

/// <summary>
/// The container's owner of every ImapRx client: one shared pool (logging through the container's
/// <see cref="ILoggerFactory"/>, metering through its <see cref="IMeterFactory"/> when it has one), one client per account, all disposed with the container.
/// </summary>
internal sealed class ImapRxClientFactory : IImapRxClientFactory, IAsyncDisposable, IDisposable
{
    private readonly IServiceProvider _services;
    private readonly IOptionsMonitor<ImapAccountSettings> _settings;
    private readonly ImapRxRegistration _registration;
    private readonly Lazy<ImapConnectionPool> _pool;
    private readonly ConcurrentDictionary<string, Lazy<ImapRxClient>> _clients = new(StringComparer.Ordinal);

    // One options instance per account: its credential is the pool's identity (an OAuth2 credential is a new identity
    // each time it is built), so the clients, the health check and the statistics must all use the same one.
    private readonly ConcurrentDictionary<string, Lazy<ImapAccountOptions>> _accounts = new(StringComparer.Ordinal);
    private int _disposed;

    public ImapRxClientFactory(IServiceProvider services, IOptionsMonitor<ImapAccountSettings> settings, ImapRxRegistration registration)
    {
        _services = services;
        _settings = settings;
        _registration = registration;
        _pool = new Lazy<ImapConnectionPool>(() => new ImapConnectionPool(new ImapPoolOptions
        {
            LoggerFactory = services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance,
            MeterFactory = services.GetService<IMeterFactory>(),
        }));
    }

    public IReadOnlyCollection<string> AccountNames => _registration.AccountNames;

    /// <summary>The shared pool (created on first use).</summary>
    internal ImapConnectionPool Pool => _pool.Value;

    internal bool PoolCreated => _pool.IsValueCreated;

    public IImapRxClient GetClient(string accountName)
    {
        CheckName(accountName);
        if (Volatile.Read(ref _disposed) != 0)
        {
            throw new ObjectDisposedException(nameof(IImapRxClientFactory));
        }

        return _clients.GetOrAdd(accountName, name => new Lazy<ImapRxClient>(() => new ImapRxClient(GetAccount(name), Pool))).Value;
    }

    public ImapAccountOptions GetAccount(string accountName)
    {
        CheckName(accountName);
        return _accounts.GetOrAdd(accountName, name => new Lazy<ImapAccountOptions>(() => Build(name))).Value;
    }

    private ImapAccountOptions Build(string accountName)
    {
        var errors = new List<string>();
        var account = ImapAccountOptionsBuilder.TryBuild(accountName, _registration.SectionPathOf(accountName), _settings.Get(accountName), _services, errors);
        return account ?? throw new OptionsValidationException(accountName, typeof(ImapAccountSettings), errors);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var client in _clients.Values.Where(c => c.IsValueCreated))
        {
            await client.Value.DisposeAsync().ConfigureAwait(false);
        }

        if (_pool.IsValueCreated)
        {
            // Idle connections are closed with LOGOUT; a lease still out is closed when it is released.
            await _pool.Value.DisposeAsync().ConfigureAwait(false);
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private void CheckName(string accountName)
    {
        if (accountName is null)
        {
            throw new ArgumentNullException(nameof(accountName));
        }

        if (!_registration.AccountNames.Contains(accountName))
        {
            throw new KeyNotFoundException($"No IMAP account '{accountName}' under {_registration.SectionPath}:Accounts; the accounts are: {string.Join(", ", _registration.AccountNames)}.");
        }
    }
}
