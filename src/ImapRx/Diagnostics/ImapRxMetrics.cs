using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace ImapRx.Diagnostics;

/// <summary>
/// The instruments of one <see cref="Meter"/> named <see cref="ImapRxDiagnostics.Name"/>: the meter an
/// <see cref="IMeterFactory"/> creates when the pool options carry one (a host's container passes its own, so
/// its metrics pipeline sees ImapRx with the host's scope), else one static meter for the process.
/// </summary>
internal sealed class ImapRxMetrics
{
    // A factory hands out the same Meter for the same name and version; its instruments are created once per Meter,
    // or every pool would publish duplicates that split the measurements between them.
    private static readonly ConditionalWeakTable<Meter, ImapRxMetrics> ByMeter = new();

    private ImapRxMetrics(Meter meter)
    {
        Meter = meter;
        OpenConnections = meter.CreateUpDownCounter<long>(ImapRxDiagnostics.ConnectionsOpen, "{connection}", "IMAP connections open");
        InUse = meter.CreateUpDownCounter<long>(ImapRxDiagnostics.LeasesInUse, "{lease}", "Leases in use");
        Waiting = meter.CreateUpDownCounter<long>(ImapRxDiagnostics.LeasesWaiting, "{caller}", "Callers waiting for a lease");
        WaitTime = meter.CreateHistogram<double>(ImapRxDiagnostics.LeaseWait, "s", "Time spent waiting for a lease");
        RetryCount = meter.CreateCounter<long>(ImapRxDiagnostics.Retries, "{retry}", "Connect retries");
        EvictionCount = meter.CreateCounter<long>(ImapRxDiagnostics.Evictions, "{connection}", "Connections evicted for idle age");
        NativeFallbacks = meter.CreateCounter<long>(ImapRxDiagnostics.NativeFetchFallbacks, "{batch}", "FETCH batches the native reader rejected and MailKit fetched again");
        NativeBatches = meter.CreateCounter<long>(ImapRxDiagnostics.NativeFetchBatches, "{batch}", "FETCH batches read by the native reader");
    }

    /// <summary>The instruments on the process-wide static meter, for pools given no <see cref="IMeterFactory"/>.</summary>
    internal static ImapRxMetrics Shared { get; } = new(ImapRxDiagnostics.Meter);

    internal Meter Meter { get; }

    internal UpDownCounter<long> OpenConnections { get; }

    internal UpDownCounter<long> InUse { get; }

    internal UpDownCounter<long> Waiting { get; }

    /// <summary>Lease wait in seconds (OpenTelemetry's unit for durations).</summary>
    internal Histogram<double> WaitTime { get; }

    internal Counter<long> RetryCount { get; }

    internal Counter<long> EvictionCount { get; }

    internal Counter<long> NativeFallbacks { get; }

    internal Counter<long> NativeBatches { get; }

    /// <summary>
    /// The instruments on <paramref name="factory"/>'s ImapRx meter, or <see cref="Shared"/> without a factory. The
    /// factory owns its meter (it is disposed with the factory, never by ImapRx).
    /// </summary>
    internal static ImapRxMetrics For(IMeterFactory? factory)
        => factory is null
            ? Shared
            : ByMeter.GetValue(
                factory.Create(new MeterOptions(ImapRxDiagnostics.Name) { Version = ImapRxDiagnostics.Version }),
                static meter => new ImapRxMetrics(meter));
}
