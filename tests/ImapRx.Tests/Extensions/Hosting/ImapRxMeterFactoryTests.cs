using System.Diagnostics.Metrics;
using ImapRx.Diagnostics;
using ImapRx.Extensions.Hosting;
using ImapRx.Tests.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ImapRx.Tests.Extensions.Hosting;

/// <summary>AddImapRx meters through the container's <see cref="IMeterFactory"/>, and reads the mailbox through it.</summary>
[Collection(DovecotCollection.Name)]
public sealed class ImapRxMeterFactoryTests(DovecotFixture fixture) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("imaprx-meter-").FullName;

    public void Dispose() => Directory.Delete(_directory, true);

    [DovecotFact]
    public async Task AddImapRx_ContainerHasAMeterFactory_LeasesAreMeteredOnItsImapRxMeter()
    {
        var user = await fixture.CreateUserAsync();
        var builder = TestHosts.FromJson(_directory, SandboxConfiguration.For(fixture.Server, user, "Work"));
        builder.Services.AddMetrics(); // Host.CreateApplicationBuilder does this itself
        builder.AddImapRx();
        using var host = builder.Build();
        await host.StartAsync();
        var factory = host.Services.GetRequiredService<IMeterFactory>();
        var inUse = 0L;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Name == ImapRxDiagnostics.LeasesInUse)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref inUse, Math.Abs(value)));
        listener.Start();

        var client = host.Services.GetRequiredService<IImapRxClient>();
        await client.GetFolderAsync("INBOX");
        await host.StopAsync();

        Assert.Same(factory, ((ImapRxClient)client).Pool.Metrics.Meter.Scope);
        Assert.Equal(ImapRxDiagnostics.Name, ((ImapRxClient)client).Pool.Metrics.Meter.Name);
        Assert.True(Interlocked.Read(ref inUse) >= 2, "the lease and its return were not recorded on the container's meter");
    }
}
