using System.Net;
using ImapRx.Orleans;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Runtime.Hosting;
using Orleans.Storage;

namespace ImapRx.Samples.Cluster;

/// <summary>
/// Real Orleans silos in this process, each with its own silo and gateway port on 127.0.0.1, joined by Orleans'
/// development clustering: the first silo is the primary and holds the membership table, the others find it by its
/// endpoint. That is the clustering Orleans offers for a local run with nothing to install; its price is that the
/// primary cannot go away, so only the others are stopped. Grain state and reminders live outside the silos
/// (<see cref="LocalGrainStorage"/>, <see cref="LocalReminderTable"/>), so they survive a silo as a database would.
/// One process rather than one per silo, so one Ctrl+C ends every silo and the sandbox together.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly List<LocalSilo> _silos = new();
    private readonly Action<ISiloBuilder> _configure;
    private readonly Action<ILoggingBuilder>? _logging;
    private readonly string _clusterId = "imaprx-local-" + Guid.NewGuid().ToString("N")[..8];

    private LocalCluster(Action<ISiloBuilder> configure, Action<ILoggingBuilder>? logging)
    {
        _configure = configure;
        _logging = logging;
    }

    /// <summary>The silos started so far, the primary first.</summary>
    public IReadOnlyList<LocalSilo> Silos => _silos;

    /// <summary>Grain state of every silo.</summary>
    public LocalGrainStorage Storage { get; } = new();

    /// <summary>Reminders of every silo.</summary>
    public LocalReminderTable Reminders { get; } = new();

    /// <summary>Calls grains through the primary silo, which stays up as long as the cluster does.</summary>
    public IGrainFactory GrainFactory => _silos[0].Host.Services.GetRequiredService<IGrainFactory>();

    /// <summary>Starts <paramref name="silos"/> silos, each configured by <paramref name="configure"/> (grains, options).</summary>
    public static async Task<LocalCluster> StartAsync(int silos, Action<ISiloBuilder> configure, Action<ILoggingBuilder>? logging = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(silos, 1);
        ArgumentNullException.ThrowIfNull(configure);
        var cluster = new LocalCluster(configure, logging);
        try
        {
            for (var i = 0; i < silos; i++)
            {
                await cluster.AddSiloAsync(cancellationToken);
            }
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    /// <summary>Starts one more silo and joins it to the cluster.</summary>
    public async Task<LocalSilo> AddSiloAsync(CancellationToken cancellationToken = default)
    {
        var name = "silo-" + (_silos.Count + 1);
        var (siloPort, gatewayPort) = (FreePort(), FreePort());
        var primary = _silos.Count == 0 ? null : new IPEndPoint(IPAddress.Loopback, _silos[0].SiloPort);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        _logging?.Invoke(builder.Logging);
        // The cluster, not a console lifetime per silo, decides when a silo stops (one Ctrl+C handler for all).
        builder.Services.AddSingleton<IHostLifetime, ExternallyControlledLifetime>();
        builder.UseOrleans(silo =>
        {
            // begin-snippet: cluster-local-silo
            silo.UseLocalhostClustering(siloPort, gatewayPort, primary, serviceId: "imaprx-samples", clusterId: _clusterId);
            silo.Services.AddGrainStorage(
                ImapRxOrleansOptions.StorageName,
                (services, _) => Storage.For(services.GetRequiredService<IGrainStorageSerializer>()));
            silo.Services.AddSingleton<IReminderTable>(Reminders);
            // end-snippet
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                // Declare a killed silo dead within seconds (Orleans' defaults, made for real networks, take tens).
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(2);
            });
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
            _configure(silo);
        });
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        var address = host.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
        var added = new LocalSilo(name, host, address.ToString(), siloPort, gatewayPort, _silos.Count == 0);
        _silos.Add(added);
        return added;
    }

    /// <summary>
    /// Stops a silo that is not the primary: gracefully (its accounts log out, the membership hears it leave) or,
    /// with <paramref name="kill"/>, the way a crash looks to the others (no goodbye: they find out by probing).
    /// </summary>
    public async Task StopSiloAsync(LocalSilo silo, bool kill, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(silo);
        if (silo.IsPrimary)
        {
            throw new InvalidOperationException($"{silo.Name} is the primary: it holds the development membership table, and the cluster ends with it.");
        }

        if (!silo.Running)
        {
            return;
        }

        silo.Running = false;
        // A cancelled token is Orleans' "stop ungracefully": no handing over, no announcing.
        using var abort = new CancellationTokenSource();
        if (kill)
        {
            abort.Cancel();
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(abort.Token, cancellationToken);
        try
        {
            await silo.Host.StopAsync(linked.Token);
        }
        finally
        {
            silo.Host.Dispose();
        }
    }

    /// <summary>The name of the silo with this address ("silo-2"), or the address when it is not one of ours.</summary>
    public string NameOf(string siloAddress) => _silos.FirstOrDefault(s => s.Address == siloAddress)?.Name ?? siloAddress;

    /// <summary>Stops every silo still running, the primary last (each within 30 s, then ungracefully).</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos.AsEnumerable().Reverse().Where(s => s.Running))
        {
            silo.Running = false;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await silo.Host.StopAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // Stopped ungracefully once the timeout fired; still stopped.
            }
            finally
            {
                silo.Host.Dispose();
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class ExternallyControlledLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

/// <summary>One silo of a <see cref="LocalCluster"/>.</summary>
public sealed class LocalSilo(string name, IHost host, string address, int siloPort, int gatewayPort, bool isPrimary)
{
    /// <summary>"silo-1", "silo-2", ... in the order they started.</summary>
    public string Name { get; } = name;

    /// <summary>The silo's generic host.</summary>
    public IHost Host { get; } = host;

    /// <summary>The silo's address as <see cref="ImapAccountStatus.Silo"/> shows it.</summary>
    public string Address { get; } = address;

    /// <summary>The port silos talk to each other on (127.0.0.1).</summary>
    public int SiloPort { get; } = siloPort;

    /// <summary>The port clients connect to (127.0.0.1).</summary>
    public int GatewayPort { get; } = gatewayPort;

    /// <summary>Whether this silo holds the development membership table.</summary>
    public bool IsPrimary { get; } = isPrimary;

    /// <summary>Whether the silo was started and not stopped.</summary>
    public bool Running { get; internal set; } = true;

    /// <inheritdoc />
    public override string ToString() => $"{Name} 127.0.0.1:{SiloPort} (gateway {GatewayPort}){(IsPrimary ? ", primary" : string.Empty)}";
}
