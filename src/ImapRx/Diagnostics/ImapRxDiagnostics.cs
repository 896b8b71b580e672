using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ImapRx.Diagnostics;

/// <summary>
/// The names to listen to: a <see cref="Meter"/> and an <see cref="ActivitySource"/> both called "ImapRx"
/// (OpenTelemetry: <c>AddMeter("ImapRx")</c>, <c>AddSource("ImapRx")</c>).
/// </summary>
public static class ImapRxDiagnostics
{
    /// <summary>The meter and activity source name.</summary>
    public const string Name = "ImapRx";

    /// <summary>Instrument: connections open now (up-down counter).</summary>
    public const string ConnectionsOpen = "imaprx.connections.open";

    /// <summary>Instrument: leases handed out and not yet returned (up-down counter).</summary>
    public const string LeasesInUse = "imaprx.leases.in_use";

    /// <summary>Instrument: callers waiting for a lease (up-down counter).</summary>
    public const string LeasesWaiting = "imaprx.leases.waiting";

    /// <summary>Instrument: how long callers waited for a lease, in milliseconds (histogram).</summary>
    public const string LeaseWait = "imaprx.lease.wait";

    /// <summary>Instrument: connect retries after transient failures (counter).</summary>
    public const string Retries = "imaprx.connect.retries";

    /// <summary>Instrument: idle connections closed for age (counter).</summary>
    public const string Evictions = "imaprx.connections.evicted";

    internal static readonly ActivitySource Source = new(Name, "0.1.0");

    internal static readonly Meter Meter = new(Name, "0.1.0");

    internal static readonly UpDownCounter<long> OpenConnections = Meter.CreateUpDownCounter<long>(ConnectionsOpen, "{connection}", "IMAP connections open");

    internal static readonly UpDownCounter<long> InUse = Meter.CreateUpDownCounter<long>(LeasesInUse, "{lease}", "Leases in use");

    internal static readonly UpDownCounter<long> Waiting = Meter.CreateUpDownCounter<long>(LeasesWaiting, "{caller}", "Callers waiting for a lease");

    internal static readonly Histogram<double> WaitTime = Meter.CreateHistogram<double>(LeaseWait, "ms", "Time spent waiting for a lease");

    internal static readonly Counter<long> RetryCount = Meter.CreateCounter<long>(Retries, "{retry}", "Connect retries");

    internal static readonly Counter<long> EvictionCount = Meter.CreateCounter<long>(Evictions, "{connection}", "Connections evicted for idle age");
}
