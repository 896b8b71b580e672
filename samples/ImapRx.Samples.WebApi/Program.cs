using ImapRx.Samples.WebApi;

// The account is configuration: Imap:Accounts:Main in appsettings.json, the password in user secrets
// (dotnet user-secrets set Imap:Accounts:Main:Password "...") or the environment (Imap__Accounts__Main__Password).
await MailApi.Build(WebApplication.CreateBuilder(args)).RunAsync();
