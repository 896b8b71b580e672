using ImapRx.Extensions.Hosting;
using ImapRx.Sync;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ImapRx.Samples.Worker;

/// <summary>The worker's services: the account from configuration, checkpoints in a data directory, the sync loop.</summary>
public static class WorkerHost
{
    /// <summary>
    /// Where checkpoints live: <c>Worker:DataDirectory</c>, else the user's local application data folder
    /// (<c>~/.local/share/ImapRx.Samples.Worker</c> on Linux), never the bin folder a rebuild wipes.
    /// </summary>
    public static string DataDirectory(IConfiguration configuration)
        => configuration["Worker:DataDirectory"] is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "ImapRx.Samples.Worker");

    public static HostApplicationBuilder Configure(HostApplicationBuilder builder)
    {
        // begin-snippet: worker-host
        builder.AddImapRx(); // Imap:Accounts:Main; the container owns the client and logs it out on stop
        var checkpoints = Path.Combine(DataDirectory(builder.Configuration), "checkpoints");
        builder.Services.AddSingleton<ISyncStateStore>(new FileSyncStateStore(checkpoints));
        builder.Services.AddHostedService(services => new InboxSyncWorker(
            services.GetRequiredService<IImapRxClient>(),
            services.GetRequiredService<ISyncStateStore>(),
            services.GetRequiredService<IInboxHandler>(),
            services.GetRequiredService<ILogger<InboxSyncWorker>>())
        {
            Interval = builder.Configuration.GetValue("Worker:Interval", TimeSpan.FromMinutes(1)),
        });
        // end-snippet
        return builder;
    }
}
