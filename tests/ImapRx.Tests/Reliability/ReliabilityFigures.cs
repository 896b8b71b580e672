using System.Collections.Concurrent;

namespace ImapRx.Tests.Reliability;

/// <summary>
/// Counts from the reliability tests (cycles run, faults injected, messages checked, inputs tried), written to
/// <c>reliability-figures.txt</c> next to the test assembly so docs/reliability.md can quote a real run.
/// </summary>
internal static class ReliabilityFigures
{
    private static readonly ConcurrentDictionary<string, long> Figures = new(StringComparer.Ordinal);
    private static readonly object Gate = new();

    public static void Add(string name, long value)
    {
        Figures.AddOrUpdate(name, value, (_, old) => old + value);
        lock (Gate)
        {
            var lines = Figures.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}: {f.Value}");
            File.WriteAllLines(Path.Combine(AppContext.BaseDirectory, "reliability-figures.txt"), lines);
        }
    }
}
