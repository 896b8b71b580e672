// The main job: a private Dovecot on 127.0.0.1 seeded with sample mail, and an Rx pipeline against it.
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using ImapRx;
using ImapRx.Configuration;
using ImapRx.Fetching;
using ImapRx.Model;
using ImapRx.Sandbox.Server;
using ImapRx.Watching;

var liveMessages = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 5;

Console.WriteLine("Starting a sandbox Dovecot on 127.0.0.1 ...");
await using var server = await DovecotServer.StartAsync();
var user = await server.CreateUserAsync("demo");
var written = await new MaildirWriter(server).WriteAsync(user, "INBOX", new CorpusGenerator(42).Generate(60));
Console.WriteLine($"  {server} with {written.Count} sample messages for '{user.Name}'.");

// Validation stays on: we trust the sandbox's own CA, nothing else.
var account = new ImapAccountOptions(server.Host, user.Name, ImapCredential.FromPassword(user.Password))
{
    Port = server.TlsPort,
    Encryption = ImapEncryption.Tls,
    TrustedCertificateAuthorities = new[] { server.CaCertificate },
};
Console.WriteLine($"Account: {account}");
await using var client = new ImapRxClient(account);

Console.WriteLine("\n1) Folders (one LIST-STATUS round trip):");
await client.Folders()
    .Where(f => f.IsSelectable)
    .ForEachAsync(f => Console.WriteLine($"   {f.FullName,-20} {f.Type,-8} {f.UnreadCount,3} unread / {f.TotalCount,3}"));

Console.WriteLine("\n2) Search: UNSEEN messages that are not flagged:");
var unseen = await client.Search("INBOX", "UNSEEN UNFLAGGED").ToList();
Console.WriteLine($"   {unseen.Count} UIDs: {string.Join(",", unseen.Take(15))}{(unseen.Count > 15 ? ",..." : string.Empty)}");

Console.WriteLine("\n3) The first fetch batch (20 summaries, never marked read), grouped by sender domain:");
var firstBatch = await client.MessageBatches("INBOX", new FetchOptions { BatchSize = 20 }).FirstAsync();
foreach (var group in firstBatch.GroupBy(m => m.From.Split('@').LastOrDefault() ?? "?").OrderByDescending(g => g.Count()))
{
    Console.WriteLine($"   {group.Key,-22} {group.Count(),2} message(s), e.g. \"{Trim(group.First().Subject)}\"");
}

Console.WriteLine($"\n4) Live: watching INBOX while a second connection appends {liveMessages} messages ...");
var arrivals = client.Watch("INBOX", new WatchOptions { IncludeSummaries = true })
    .Do(e => { if (e is WatchConnected or WatchIdling) Console.WriteLine($"   [{e.GetType().Name}]"); })
    .OfType<MessagesArrived>()
    .SelectMany(e => e.Messages!)
    .Take(liveMessages)
    .Do(m => Console.WriteLine($"   arrived UID {m.Uid}: {Trim(m.Subject)} (from {m.From})"))
    .ToList()
    .ToTask();

await Task.Delay(500); // let the watch reach IDLE
await using (var other = await SandboxClient.ConnectAsync(server, user))
{
    var generator = new CorpusGenerator(7);
    for (var i = 0; i < liveMessages; i++)
    {
        await other.AppendAsync("INBOX", generator.CreateMessage(1000 + i));
        await Task.Delay(300);
    }
}

var received = await arrivals.WaitAsync(TimeSpan.FromSeconds(60));
Console.WriteLine($"\nDone: {received.Count} live messages received via IDLE. Stopping the sandbox.");
return received.Count == liveMessages ? 0 : 1;

static string Trim(string text) => text.Length <= 40 ? text : text[..37] + "...";
