using System.Reactive.Concurrency;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImapRx.Pooling;

/// <summary>Settings shared by every account in one pool.</summary>
public sealed class ImapPoolOptions
{
    /// <summary>
    /// The clock and timer source for every time-based behaviour of the pool and the streams on it
    /// (backoff, eviction, lease timeout, health checks, IDLE restarts). Supply a TestScheduler in tests.
    /// </summary>
    /// <value>The default is <see cref="DefaultScheduler.Instance"/>.</value>
    public IScheduler Scheduler { get; set; } = DefaultScheduler.Instance;

    /// <summary>Where log records go.</summary>
    /// <value>The default discards them.</value>
    public ILoggerFactory LoggerFactory { get; set; } = NullLoggerFactory.Instance;
}
