using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using ImapRx.Configuration;
using ImapRx.Diagnostics;
using ImapRx.Pooling;
using ImapRx.Tests.Server;
using Microsoft.Extensions.Logging;

namespace ImapRx.Tests.Diagnostics;

[Collection(DovecotCollection.Name)]
public sealed class DiagnosticsTests(DovecotFixture fixture)
{
    [DovecotFact]
    public async Task FullRun_WireLogMetricsTracesAndLogs_CarryTheConnectionIdAndNoSecret()
    {
        var user = await fixture.CreateUserAsync();
        var directory = Directory.CreateTempSubdirectory("imaprx-wire-").FullName;
        var logs = new CapturingLoggerProvider();
        var measurements = new ConcurrentDictionary<string, long>();
        var activities = new ConcurrentQueue<Activity>();
        using var meterListener = new MeterListener();
        meterListener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ImapRxDiagnostics.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        meterListener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            // The listener hears every pool in the process (other test classes run in parallel): count this server's.
            var port = 0;
            foreach (var tag in tags)
            {
                if (tag.Key == "server.port" && tag.Value is int p)
                {
                    port = p;
                }
            }

            if (port == fixture.Server.TlsPort)
            {
                measurements.AddOrUpdate(instrument.Name, value, (_, old) => old + value);
            }
        });
        meterListener.Start();
        using var activityListener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ImapRxDiagnostics.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(activityListener);
        try
        {
            using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
            var pool = new ImapConnectionPool(new ImapPoolOptions
            {
                LoggerFactory = loggerFactory,
                ProtocolLog = id => File.Create(Path.Combine(directory, id.Replace(':', '_') + ".log")),
            });
            await using (var client = new ImapRxClient(SandboxAccounts.For(fixture.Server, user), pool))
            {
                await client.GetFoldersAsync();
                await client.SearchAsync("INBOX", "UNSEEN");
                var bad = new ImapRxClient(new ImapAccountOptions(fixture.Server.Host, user.Name, ImapCredential.FromPassword("not-" + user.Password)) { Port = fixture.Server.TlsPort, TrustedCertificateAuthorities = new[] { fixture.Server.CaCertificate } }, pool);
                await Assert.ThrowsAsync<ImapAuthenticationException>(() => bad.GetFoldersAsync());
            }

            await pool.DisposeAsync();
            meterListener.RecordObservableInstruments();

            var wire = string.Join("\n", Directory.GetFiles(directory).Select(File.ReadAllText));
            Assert.Contains("LIST", wire);
            Assert.Contains("AUTHENTICATE", wire, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(user.Password, wire);
            Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("\0" + user.Name + "\0" + user.Password)), wire);

            Assert.Contains(logs.Messages, m => m.Contains($"[127.0.0.1:{user.Name}#0] Connected"));
            Assert.All(logs.Messages, m => Assert.DoesNotContain(user.Password, m));
            Assert.True(measurements.ContainsKey(ImapRxDiagnostics.LeasesInUse), "no lease measurement tagged with this server's port");
            Assert.Equal(0, measurements.GetValueOrDefault(ImapRxDiagnostics.LeasesInUse));
            Assert.Equal(0, measurements.GetValueOrDefault(ImapRxDiagnostics.ConnectionsOpen));
            Assert.Contains(activities, a => a.OperationName == "imaprx.connect" && (int?)a.GetTagItem("server.port") == fixture.Server.TlsPort);
        }
        finally
        {
            Directory.Delete(directory, true);
        }
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Queue { get; } = new();

        public IEnumerable<string> Messages => Queue;

        public ILogger CreateLogger(string categoryName) => new Logger(Queue);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string> queue) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
                => queue.Enqueue(formatter(state, exception) + " " + exception);
        }
    }
}
