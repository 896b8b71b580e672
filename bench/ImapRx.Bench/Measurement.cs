using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace ImapRx.Bench;

/// <summary>What one child process measured; printed as one JSON line the orchestrator reads.</summary>
public sealed record Measurement(string Scenario, string Contender, double Milliseconds, long Items, long Bytes, double PeakRssMb, int MaxThreads, string? Detail = null)
{
    public const string Prefix = "RESULT ";

    public double ItemsPerSecond => Items / (Milliseconds / 1000.0);

    public string ToLine() => Prefix + JsonSerializer.Serialize(this);

    public static Measurement? TryParse(string line)
        => line.StartsWith(Prefix, StringComparison.Ordinal) ? JsonSerializer.Deserialize<Measurement>(line[Prefix.Length..]) : null;

    /// <summary>Peak resident set of this process (VmHWM), in MB.</summary>
    public static double ReadPeakRssMb()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return double.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
            }
        }

        return 0;
    }

    public static double CurrentRssMb()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return double.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
            }
        }

        return 0;
    }

    public static int Threads() => Process.GetCurrentProcess().Threads.Count;
}
