using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using ImapRx.Configuration;
using ImapRx.Diagnostics;
using ImapRx.Pooling;
using ImapRx.Tests.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Reactive.Testing;

namespace ImapRx.Tests.Diagnostics;

/// <summary>Where the instruments live (the given <see cref="IMeterFactory"/>'s meter, or the static one) and their units.</summary>
[Collection(DovecotCollection.Name)]
public sealed class ImapRxMetricsTests(DovecotFixture fixture)
{
    private static readonly string[] InstrumentNames =
    {
        ImapRxDiagnostics.ConnectionsOpen, ImapRxDiagnostics.LeasesInUse, ImapRxDiagnostics.LeasesWaiting, ImapRxDiagnostics.LeaseWait,
        ImapRxDiagnostics.Retries, ImapRxDiagnostics.Evictions, "imaprx.fetch.native_fallbacks", "imaprx.fetch.native_batches",
    };

    [Fact]
    public async Task Pool_MeterFactoryGiven_EveryInstrumentOnTheFactorysImapRxMeterOnceForTwoPools()
    {
        using var factory = new TestMeterFactory();
        using var listener = new MeterListener();
        var published = new ConcurrentQueue<Instrument>();
        listener.InstrumentPublished = (instrument, _) =>
        {
            if (instrument.Meter.Scope == factory)
            {
                published.Enqueue(instrument);
            }
        };
        listener.Start();

        await using var first = new ImapConnectionPool(new ImapPoolOptions { MeterFactory = factory });
        await using var second = new ImapConnectionPool(new ImapPoolOptions { MeterFactory = factory });

        var meter = Assert.Single(factory.Meters);
        Assert.Equal(ImapRxDiagnostics.Name, meter.Name);
        Assert.Equal(ImapRxDiagnostics.Meter.Version, meter.Version);
        Assert.Equal(InstrumentNames.Order(), published.Select(i => i.Name).Order());
        Assert.All(published, i => Assert.Same(meter, i.Meter));
        Assert.Equal("s", published.Single(i => i.Name == ImapRxDiagnostics.LeaseWait).Unit);
    }

    [Fact]
    public async Task Pool_NoMeterFactory_InstrumentsOnTheStaticMeterUnderTheSameNames()
    {
        await using var pool = new ImapConnectionPool();

        Assert.Same(ImapRxDiagnostics.Meter, pool.Metrics.Meter);
        Assert.Equal(ImapRxDiagnostics.Name, pool.Metrics.Meter.Name);
        Assert.Equal(ImapRxDiagnostics.LeaseWait, pool.Metrics.WaitTime.Name);
        Assert.Equal("s", pool.Metrics.WaitTime.Unit);
    }

    [Fact]
    public async Task Pool_ContainersMeterFactory_UsedWhenTheServiceProviderHasOne()
    {
        var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        await using var _ = services;
        var factory = services.GetRequiredService<IMeterFactory>();

        await using var pool = new ImapConnectionPool(new ImapPoolOptions { MeterFactory = factory });

        Assert.Same(factory, pool.Metrics.Meter.Scope);
    }

    [DovecotFact]
    public async Task LeaseWait_CallerWaitsFiveVirtualSeconds_RecordsFiveSeconds()
    {
        var user = await fixture.CreateUserAsync();
        var scheduler = new TestScheduler();
        using var factory = new TestMeterFactory();
        var waits = new ConcurrentQueue<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Name == ImapRxDiagnostics.LeaseWait)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) => waits.Enqueue(value));
        listener.Start();
        await using var pool = new ImapConnectionPool(new ImapPoolOptions { Scheduler = scheduler, MeterFactory = factory });
        var account = SandboxAccounts.For(fixture.Server, user, maxConnections: 1);

        var holder = await pool.LeaseAsync(account);
        var waiter = pool.LeaseAsync(account).AsTask();
        Assert.False(waiter.IsCompleted);
        scheduler.AdvanceBy(TimeSpan.FromSeconds(5).Ticks);
        await holder.DisposeAsync();
        await using var second = await waiter;

        Assert.Equal(new[] { 0.0, 5.0 }, waits.ToArray());
    }

    /// <summary>Creates meters scoped to itself and disposes them with itself, as a host's factory does.</summary>
    private sealed class TestMeterFactory : IMeterFactory
    {
        private readonly List<Meter> _meters = new();

        public IReadOnlyList<Meter> Meters
        {
            get
            {
                lock (_meters)
                {
                    return _meters.ToList();
                }
            }
        }

        public Meter Create(MeterOptions options)
        {
            lock (_meters)
            {
                // Same name and version: the same meter, as the framework's factory does.
                var existing = _meters.FirstOrDefault(m => m.Name == options.Name && m.Version == options.Version);
                if (existing is not null)
                {
                    return existing;
                }

                var meter = new Meter(new MeterOptions(options.Name) { Version = options.Version, Tags = options.Tags, Scope = this });
                _meters.Add(meter);
                return meter;
            }
        }

        public void Dispose()
        {
            lock (_meters)
            {
                _meters.ForEach(m => m.Dispose());
            }
        }
    }
}
