using System.Diagnostics;
using System.Globalization;
using System.Reactive.Linq;
using ImapRx.Configuration;
using ImapRx.Fetching;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;

namespace ImapRx.Bench;

/// <summary>One contender, one scenario, one process: so peak RSS and thread counts belong to it alone.</summary>
public static class Child
{
    /// <summary>The summary items every S1 contender fetches (ImapRx adds MODSEQ where CONDSTORE is on, so all do).</summary>
    public const MessageSummaryItems S1Items = MessageSummaryItems.UniqueId | MessageSummaryItems.Flags | MessageSummaryItems.Envelope |
        MessageSummaryItems.Size | MessageSummaryItems.InternalDate | MessageSummaryItems.BodyStructure | MessageSummaryItems.ModSeq;

    public const string S1Wire = "(UID FLAGS ENVELOPE RFC822.SIZE INTERNALDATE BODYSTRUCTURE MODSEQ)";

    public static async Task<int> RunAsync(string[] args)
    {
        var scenario = args[0];
        var contender = args[1];
        var options = args.Skip(2).Select(a => a.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var settings = new Settings(options, Environment.GetEnvironmentVariable("BENCH_PASSWORD") ?? throw new InvalidOperationException("BENCH_PASSWORD is not set."));
        if (scenario is "S1" or "S2")
        {
            // Warm-up, untimed: the same code path over the first batch, so what is timed is throughput, not the
            // one-off JIT of each contender's code (ImapRx brings more of it: Rx, Polly, the pool).
            var warmUp = new Dictionary<string, string>(options) { ["limit"] = options.GetValueOrDefault("batch", scenario == "S1" ? "1000" : "100") };
            var warmSettings = new Settings(warmUp, settings.Password);
            _ = scenario == "S1" ? await HeaderSync.RunAsync(contender, warmSettings) : await BodyFetch.RunAsync(contender, warmSettings);
        }

        using var threads = new ThreadSampler();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var (items, bytes, detail) = scenario switch
        {
            "S1" => await HeaderSync.RunAsync(contender, settings),
            "S2" => await BodyFetch.RunAsync(contender, settings),
            "S3" => await IdleLatency.RunAsync(contender, settings),
            "S4" => await ManyWatches.RunAsync(contender, settings),
            "S5" => await IncrementalSync.RunAsync(contender, settings),
            _ => throw new ArgumentException("Unknown scenario " + scenario),
        };
        clock.Stop();
        var elapsed = detail is { } d && d.StartsWith("ms=", StringComparison.Ordinal)
            ? double.Parse(d[3..].Split(';')[0], CultureInfo.InvariantCulture)
            : clock.Elapsed.TotalMilliseconds;
        // CPU time of this process (user + kernel): on 2 cores shared with Dovecot it bounds what parallelism can give.
        var cpu = $"cpu={(Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds:0}ms";
        detail = string.IsNullOrEmpty(detail) ? cpu : $"{detail};{cpu}";
        Console.WriteLine(new Measurement(scenario, contender, elapsed, items, bytes, Measurement.ReadPeakRssMb(), threads.Max, detail).ToLine());
        return 0;
    }

    public static ImapRxClient ImapRx(Settings settings, int maxConnections)
        => new(
            new ImapAccountOptions(settings.Host, settings.User, ImapCredential.FromPassword(settings.Password))
            {
                Encryption = ImapEncryption.None,
                Port = settings.Port,
                MaxConnections = maxConnections,
                Timeout = TimeSpan.FromMinutes(2),
            },
            new Pooling.ImapPoolOptions { ProtocolLog = CommandTrace.For(Environment.GetEnvironmentVariable("BENCH_TRACE")) });

    public static async Task<ImapClient> MailKitAsync(Settings settings)
    {
        var client = new ImapClient { Timeout = 120_000 };
        await client.ConnectAsync(settings.Host, settings.Port, SecureSocketOptions.None);
        await client.AuthenticateAsync(settings.User, settings.Password);
        return client;
    }

    public sealed class Settings(Dictionary<string, string> values, string password)
    {
        public string Host => values["host"];

        public int Port => Int("port");

        public string User => values["user"];

        public string Password => password;

        public string Folder => values.GetValueOrDefault("folder", "INBOX");

        public int Int(string name, int fallback = 0) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

        public string Text(string name, string fallback = "") => values.GetValueOrDefault(name, fallback);
    }

    private sealed class ThreadSampler : IDisposable
    {
        private readonly Timer _timer;
        private int _max;

        public ThreadSampler() => _timer = new Timer(_ => Sample(), null, 0, 100);

        public int Max
        {
            get
            {
                Sample();
                return Volatile.Read(ref _max);
            }
        }

        public void Dispose() => _timer.Dispose();

        private void Sample()
        {
            var now = Measurement.Threads();
            int current;
            while (now > (current = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, now, current) != current)
            {
            }
        }
    }
}
