using ImapRx.Model;
using ImapRx.Samples.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// The account is configuration: Imap:Accounts:Main in appsettings.json, the password in user secrets
// (dotnet user-secrets set Imap:Accounts:Main:Password "...") or the environment (Imap__Accounts__Main__Password).
var builder = WorkerHost.Configure(Host.CreateApplicationBuilder(args));
builder.Services.AddSingleton<IInboxHandler, ConsoleHandler>();
await builder.Build().RunAsync();

internal sealed class ConsoleHandler : IInboxHandler
{
    public void Handle(MailboxEvent change) => Console.WriteLine(change);
}
