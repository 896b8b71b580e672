using ImapRx.Configuration;
using ImapRx.Samples.WebApi;

// IMAPRX_HOST, IMAPRX_USER and IMAPRX_PASSWORD name the account (TLS on port 993 unless IMAPRX_PORT says otherwise).
var account = new ImapAccountOptions(
    Environment.GetEnvironmentVariable("IMAPRX_HOST") ?? "127.0.0.1",
    Environment.GetEnvironmentVariable("IMAPRX_USER") ?? throw new InvalidOperationException("Set IMAPRX_USER."),
    ImapCredential.FromPassword(Environment.GetEnvironmentVariable("IMAPRX_PASSWORD") ?? throw new InvalidOperationException("Set IMAPRX_PASSWORD.")))
{
    Port = int.TryParse(Environment.GetEnvironmentVariable("IMAPRX_PORT"), out var port) ? port : 0,
};
await MailApi.Build(account, args).RunAsync();
