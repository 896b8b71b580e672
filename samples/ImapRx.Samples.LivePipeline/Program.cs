using System.Reactive.Concurrency;
using ImapRx;
using ImapRx.Configuration;
using ImapRx.Samples.LivePipeline;

var account = new ImapAccountOptions(
    Environment.GetEnvironmentVariable("IMAPRX_HOST") ?? "127.0.0.1",
    Environment.GetEnvironmentVariable("IMAPRX_USER") ?? throw new InvalidOperationException("Set IMAPRX_USER."),
    ImapCredential.FromPassword(Environment.GetEnvironmentVariable("IMAPRX_PASSWORD") ?? throw new InvalidOperationException("Set IMAPRX_PASSWORD.")));
await using var mail = new ImapRxClient(account);
using var digests = SenderDigests.PerSender(mail.Watch("INBOX", new() { IncludeSummaries = true }), TimeSpan.FromMinutes(1), DefaultScheduler.Instance)
    .Subscribe(d => Console.WriteLine($"{d.At:t} {d.Sender} sent {d.Count} message(s), first: {d.FirstSubject}"));
Console.WriteLine("Watching INBOX; Ctrl+C to stop.");
await Task.Delay(Timeout.Infinite);
