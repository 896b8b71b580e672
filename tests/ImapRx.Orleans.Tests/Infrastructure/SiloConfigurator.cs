using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime.Hosting;
using Orleans.Storage;
using Orleans.TestingHost;

namespace ImapRx.Orleans.Tests.Infrastructure;

/// <summary>Each test silo: ImapRx account grains, SQLite grain storage, the shared reminder table, fast failure detection.</summary>
internal sealed class SiloConfigurator : ISiloConfigurator
{
    public static readonly TimeSpan ReminderPeriod = TimeSpan.FromSeconds(2);

    public void Configure(ISiloBuilder siloBuilder)
    {
        var context = ClusterContext.Current;

        // begin-snippet: orleans-silo
        siloBuilder.AddImapRx<TestResolver, RecordingHandler>(o =>
        {
            o.ReminderPeriod = ReminderPeriod;
            o.RetryDelay = TimeSpan.FromMilliseconds(200);
            o.MaxRetryDelay = TimeSpan.FromSeconds(2);
        });
        siloBuilder.Services.AddSingleton<global::Orleans.IReminderTable>(context.Reminders);
        siloBuilder.Services.AddGrainStorage(
            ImapRxOrleansOptions.StorageName,
            (services, _) => new SqliteGrainStorage(context.StoragePath, services.GetRequiredService<IGrainStorageSerializer>()));
        siloBuilder.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
        // end-snippet
        siloBuilder.Configure<ClusterMembershipOptions>(o =>
        {
            // Declare a killed silo dead within a few seconds (defaults take tens of seconds).
            o.ProbeTimeout = TimeSpan.FromSeconds(1);
            o.NumMissedProbesLimit = 2;
            o.NumVotesForDeathDeclaration = 1;
            o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(2);
        });
        siloBuilder.Services.AddLogging(b => b.AddProvider(new CapturingLoggerProvider()).SetMinimumLevel(LogLevel.Debug));
    }
}
