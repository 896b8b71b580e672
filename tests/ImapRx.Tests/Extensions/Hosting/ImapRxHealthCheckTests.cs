using ImapRx.Extensions.Hosting;
using ImapRx.Sandbox.Server;
using ImapRx.Tests.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ImapRx.Tests.Extensions.Hosting;

/// <summary>AddHealthChecks().AddImapRx() against a private Dovecot that is then stopped.</summary>
public sealed class ImapRxHealthCheckTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("imaprx-health-").FullName;

    public void Dispose() => Directory.Delete(_directory, true);

    [DovecotFact]
    public async Task CheckHealthAsync_ServerUpThenStopped_HealthyWithStatisticsThenUnhealthy()
    {
        var server = await DovecotServer.StartAsync();
        var user = await server.CreateUserAsync();
        var settings = SandboxConfiguration.For(server, user, "Main");
        settings["Imap:Accounts:Main:MaxRetries"] = "0";
        settings["Imap:Accounts:Main:HealthCheckAfter"] = "00:00:00";
        var builder = TestHosts.FromJson(_directory, settings);
        builder.AddImapRx();
        builder.Services.AddHealthChecks().AddImapRx();
        using var host = builder.Build();
        await host.StartAsync();
        var health = host.Services.GetRequiredService<HealthCheckService>();
        HealthReport up;
        try
        {
            up = await health.CheckHealthAsync();
        }
        finally
        {
            await server.DisposeAsync();
        }

        var down = await health.CheckHealthAsync();
        await host.StopAsync();

        var upEntry = up.Entries["imaprx"];
        Assert.Equal(HealthStatus.Healthy, upEntry.Status);
        Assert.Equal(1, upEntry.Data["Main.open"]);
        Assert.Equal(0, upEntry.Data["Main.in_use"]);
        var downEntry = down.Entries["imaprx"];
        Assert.Equal(HealthStatus.Unhealthy, downEntry.Status);
        Assert.StartsWith("IMAP NOOP failed for Main: ", downEntry.Description, StringComparison.Ordinal);
        Assert.DoesNotContain(user.Password, downEntry.Description, StringComparison.Ordinal);
    }
}
