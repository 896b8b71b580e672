using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace ImapRx.Diagnostics;

/// <summary>
/// The names to listen to: a <see cref="Meter"/> and an <see cref="ActivitySource"/> both called "ImapRx"
/// (OpenTelemetry: <c>AddMeter("ImapRx")</c>, <c>AddSource("ImapRx")</c>). The meter comes from
/// <see cref="Pooling.ImapPoolOptions.MeterFactory"/> when one is set (Microsoft.Extensions hosting sets the
/// container's), else it is one static meter for the process; the instrument names are the same either way.
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

    /// <summary>Instrument: how long callers waited for a lease, in seconds (histogram, unit <c>s</c>).</summary>
    public const string LeaseWait = "imaprx.lease.wait";

    /// <summary>Instrument: connect retries after transient failures (counter).</summary>
    public const string Retries = "imaprx.connect.retries";

    /// <summary>Instrument: idle connections closed for age (counter).</summary>
    public const string Evictions = "imaprx.connections.evicted";

    /// <summary>Instrument: FETCH batches the native reader rejected and MailKit fetched again (counter).</summary>
    internal const string NativeFetchFallbacks = "imaprx.fetch.native_fallbacks";

    /// <summary>Instrument: FETCH batches the native reader delivered (counter).</summary>
    internal const string NativeFetchBatches = "imaprx.fetch.native_batches";

    /// <summary>The library's version (Directory.Build.props, the one version source), given to the meter and activity source.</summary>
    internal static readonly string Version = ReadVersion();

    internal static readonly ActivitySource Source = new(Name, Version);

    /// <summary>
    /// The process-wide meter of pools given no <see cref="System.Diagnostics.Metrics.IMeterFactory"/>
    /// (<see cref="Pooling.ImapPoolOptions.MeterFactory"/>); with one, the instruments live on the factory's meter.
    /// </summary>
    internal static readonly Meter Meter = new(Name, Version);

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
