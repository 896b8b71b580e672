using System;
using System.Reactive.Concurrency;
using ImapRx.Configuration;
using ImapRx.Pooling;
using Microsoft.Extensions.Logging;

namespace ImapRx;

/// <summary>
/// What an operation needs from the client that started it: the account, the pool, the clock and the logger.
/// Operations and watchers take this, never the client itself, so no layer can reach back up into the facade.
/// </summary>
internal sealed class ClientContext
{
    internal ClientContext(ImapAccountOptions account, ImapConnectionPool pool)
    {
        Account = account ?? throw new ArgumentNullException(nameof(account));
        Pool = pool ?? throw new ArgumentNullException(nameof(pool));
        Logger = pool.Options.LoggerFactory.CreateLogger("ImapRx.Client");
        Retry = pool.RetryPolicyFor(account);
    }

    internal ImapAccountOptions Account { get; }

    internal ImapConnectionPool Pool { get; }

    /// <summary>Runs every timer of the client (from the pool options); a TestScheduler in tests.</summary>
    internal IScheduler Scheduler => Pool.Options.Scheduler;

    internal ILogger Logger { get; }

    /// <summary>Ends the client's streams when it is disposed (watches cleanly, with LOGOUT; the rest cancelled).</summary>
    internal ClientLifetime Lifetime { get; } = new();

    /// <summary>The account's one retry policy (shared with the pool's connect pipeline).</summary>
    internal Resilience.RetryPolicy Retry { get; }
}
