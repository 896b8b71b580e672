using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

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

    /// <summary>The library's version (Directory.Build.props, the one version source), given to the meter and activity source.</summary>
    internal static readonly string Version = ReadVersion();

    internal static readonly ActivitySource Source = new(Name, Version);

    internal static readonly Meter Meter = new(Name, Version);

    internal static readonly UpDownCounter<long> OpenConnections = Meter.CreateUpDownCounter<long>(ConnectionsOpen, "{connection}", "IMAP connections open");

    internal static readonly UpDownCounter<long> InUse = Meter.CreateUpDownCounter<long>(LeasesInUse, "{lease}", "Leases in use");

    internal static readonly UpDownCounter<long> Waiting = Meter.CreateUpDownCounter<long>(LeasesWaiting, "{caller}", "Callers waiting for a lease");

    internal static readonly Histogram<double> WaitTime = Meter.CreateHistogram<double>(LeaseWait, "ms", "Time spent waiting for a lease");

    internal static readonly Counter<long> RetryCount = Meter.CreateCounter<long>(Retries, "{retry}", "Connect retries");

    internal static readonly Counter<long> EvictionCount = Meter.CreateCounter<long>(Evictions, "{connection}", "Connections evicted for idle age");

    // The informational version is the package version, with "+<commit>" appended when the SDK knows the commit.
    private static string ReadVersion()
    {
        var assembly = typeof(ImapRxDiagnostics).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (string.IsNullOrEmpty(informational))
        {
            return assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        }

        var plus = informational!.IndexOf('+');
        return plus < 0 ? informational : informational.Substring(0, plus);
    }
}
