using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ImapRx.Tests.Extensions.Hosting;

/// <summary>Real hosts built from a JSON configuration file, as an application would have them.</summary>
internal static class TestHosts
{
    /// <summary>An empty host builder (no appsettings.json from the test's folder) reading <paramref name="settings"/> as a JSON file.</summary>
    internal static HostApplicationBuilder FromJson(string directory, IDictionary<string, string?> settings)
    {
        var path = Path.Combine(directory, "appsettings.json");
        File.WriteAllText(path, ToJson(settings));
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddJsonFile(path, optional: false);
        return builder;
    }

    // "A:B:C" = v  ->  { "A": { "B": { "C": "v" } } }; numeric keys stay object keys, which the binder reads as array indexes.
    private static string ToJson(IDictionary<string, string?> settings)
    {
        var root = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (key, value) in settings)
        {
            var parts = key.Split(':');
            var node = root;
            for (var i = 0; i < parts.Length - 1; i++)
            {
                if (!node.TryGetValue(parts[i], out var child))
                {
                    node[parts[i]] = child = new Dictionary<string, object>(StringComparer.Ordinal);
                }

                node = (Dictionary<string, object>)child;
            }

            node[parts[^1]] = value!;
        }

        return JsonSerializer.Serialize(root, new JsonSerializerOptions { WriteIndented = true });
    }
}

/// <summary>Keeps what the library logs, to prove the container's logger factory reaches it.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<(string Category, EventId Event, string Message)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<(string, EventId, string)> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => entries.Enqueue((category, eventId, formatter(state, exception)));
    }
}
