using System.Reactive.Linq;
using ImapRx.Model;
using ImapRx.Sync;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ImapRx.Samples.Worker;

/// <summary>
/// Every <see cref="Interval"/>, hands the inbox's changes since the last checkpoint to <see cref="IInboxHandler"/>.
/// The checkpoint lives in a durable store and only moves after the handler has seen the changes, so a crash or
/// a restart means re-delivery of the last batch, never a lost message.
/// </summary>
// begin-snippet: worker
public sealed class InboxSyncWorker(IImapRxClient mail, ISyncStateStore checkpoints, IInboxHandler handler, ILogger<InboxSyncWorker> logger) : BackgroundService
{
    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await mail.Sync("INBOX", checkpoints).ForEachAsync(handler.Handle, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Inbox sync failed; the checkpoint did not move, next round retries");
            }

            await Task.Delay(Interval, stoppingToken);
        }
    }
}
// end-snippet
