using System.Diagnostics.Metrics;
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

    /// <summary>
    /// Creates the "ImapRx" meter the pool's instruments live on; Microsoft.Extensions hosting passes the container's
    /// <see cref="IMeterFactory"/>. The factory owns the meter and disposes it.
    /// </summary>
    /// <value>The default is null: one static meter for the process, under the same name and instrument names.</value>
    public IMeterFactory? MeterFactory { get; set; }

    /// <summary>
    /// Opt-in wire log: called with each new connection's id (<c>host:user#n</c>), returns the stream that
    /// connection's IMAP traffic is written to. Passwords, tokens and AUTHENTICATE payloads are always redacted.
    /// </summary>
    /// <value>The default is null: no wire log.</value>
    public System.Func<string, System.IO.Stream>? ProtocolLog { get; set; }
}
