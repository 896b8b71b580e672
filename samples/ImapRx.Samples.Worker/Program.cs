using ImapRx;
using ImapRx.Configuration;
using ImapRx.Model;
using ImapRx.Samples.Worker;
using ImapRx.Sync;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(args);
var account = new ImapAccountOptions(
    Environment.GetEnvironmentVariable("IMAPRX_HOST") ?? "127.0.0.1",
    Environment.GetEnvironmentVariable("IMAPRX_USER") ?? throw new InvalidOperationException("Set IMAPRX_USER."),
    ImapCredential.FromPassword(Environment.GetEnvironmentVariable("IMAPRX_PASSWORD") ?? throw new InvalidOperationException("Set IMAPRX_PASSWORD.")));
builder.Services.AddSingleton<IImapRxClient>(new ImapRxClient(account));
builder.Services.AddSingleton<ISyncStateStore>(new FileSyncStateStore(Path.Combine(AppContext.BaseDirectory, "checkpoints")));
builder.Services.AddSingleton<IInboxHandler, ConsoleHandler>();
builder.Services.AddHostedService<InboxSyncWorker>();
await builder.Build().RunAsync();

internal sealed class ConsoleHandler : IInboxHandler
{
    public void Handle(MailboxEvent change) => Console.WriteLine(change);
}
