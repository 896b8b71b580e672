using System.Diagnostics.Metrics;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using ImapRx.Configuration;
using ImapRx.Fetching;
using ImapRx.Model;
using ImapRx.Operations;
using ImapRx.Sandbox.Faults;
using ImapRx.Sandbox.Server;
using ImapRx.Sync;
using ImapRx.Tests.Server;
using ImapRx.Tests.Watching;
using ImapRx.Watching;
using MailKit;

namespace ImapRx.Tests.Operations;

/// <summary>
/// Issue 19: a folder of awkward but legal messages (AwkwardCorpus.Folder) against the real Dovecot. MailKit 4.18
/// refuses some of their ENVELOPEs (a string literal above 4,096 bytes); every path must still deliver every
/// message exactly once, in UID order, the refused ones read from their header with ReadIssues set.
/// </summary>
[Collection(DovecotCollection.Name)]
public sealed class SummaryReaderTests(DovecotFixture fixture)
{
    private static readonly IReadOnlyList<AwkwardMessage> Folder = AwkwardCorpus.Folder();

    public static TheoryData<string> FetchPaths() => new() { "Messages", "MessageBatches", "Parallel", "NativeReader", "Bodies" };

    [DovecotTheory]
    [MemberData(nameof(FetchPaths))]
    public async Task Fetch_AwkwardFolder_EveryMessageOnceAndTheUnreadableReadFromTheirHeader(string path)
    {
        var (user, uids) = await UserWithAwkwardFolderAsync();
        var account = SandboxAccounts.For(fixture.Server, user);
        account.MaxRetries = 0; // the narrowing must not lean on the retry of a lost connection
        await using var client = new ImapRxClient(account);
        using var unreadable = new CounterListener(UnreadableMessages.CounterName);

        var options = path switch
        {
            "Parallel" => new FetchOptions { BatchSize = 4, MaxParallelism = 3 },
            "NativeReader" => new FetchOptions { BatchSize = 5, UseNativeReader = true },
            "Bodies" => new FetchOptions { BatchSize = 6, Bodies = BodyFetchMode.TextAndHtml },
            _ => new FetchOptions { BatchSize = 5 },
        };
        IReadOnlyList<MailMessageInfo> messages = path == "Messages"
            ? (await client.Messages("INBOX", options).ToList().ToTask().WaitAsync(TimeSpan.FromMinutes(2))).ToList()
            : (await client.MessageBatches("INBOX", options).ToList().ToTask().WaitAsync(TimeSpan.FromMinutes(2))).SelectMany(b => b).ToList();

        AssertEveryMessageOnce(uids, messages);
        AssertFields(messages, readFromHeader: path != "NativeReader");
        if (path == "NativeReader")
        {
            // The native reader has no literal limit; a batch it rejects goes through MailKit and is narrowed there.
            Assert.True(unreadable.Total <= Folder.Count(m => m.SummaryTooBig));
        }
        else
        {
            Assert.Equal(Folder.Count(m => m.SummaryTooBig), unreadable.Total);
        }

        if (path == "Bodies")
        {
            Assert.Equal("long subject", ByName(messages, "folded-subject-7k").TextBody!.Trim());
            Assert.Equal("Plain message 1", ByName(messages, "plain-1").TextBody!.Trim());
        }

        Assert.Equal(0, client.Pool.GetStatistics(client.Account).LeasesInUse);
    }

    [DovecotFact]
    public async Task Messages_OneConnectionOnly_NarrowsOnTheSameSlot()
    {
        // A pool of one: the broken connection must be given back before its replacement is leased.
        var (user, uids) = await UserWithAwkwardFolderAsync();
        var account = SandboxAccounts.For(fixture.Server, user, maxConnections: 1);
        account.MaxRetries = 0;
        account.LeaseTimeout = TimeSpan.FromSeconds(5);
        await using var client = new ImapRxClient(account);

        var messages = (await client.Messages("INBOX", new FetchOptions { BatchSize = 50 }).ToList().ToTask().WaitAsync(TimeSpan.FromMinutes(2))).ToList();

        AssertEveryMessageOnce(uids, messages);
        Assert.Equal(Folder.Count(m => m.SummaryTooBig), messages.Count(m => m.ReadIssues.HasFlag(MessageReadIssues.SummaryUnreadable)));
    }

    [DovecotFact]
    public async Task MessageBatches_ConnectionCutAfterSecondBatch_ResumesAfterTheLastDeliveredUid()
    {
        var (user, uids) = await UserWithAwkwardFolderAsync();
        await using var proxy = new FaultProxy(fixture.Server.PlainPort);
        var account = new ImapAccountOptions(proxy.Host, user.Name, ImapCredential.FromPassword(user.Password))
        {
            Encryption = ImapEncryption.None,
            Port = proxy.Port,
            MaxRetries = 3,
            RetryDelay = TimeSpan.FromMilliseconds(50),
            Timeout = TimeSpan.FromSeconds(10),
        };
        await using var client = new ImapRxClient(account);
        var batches = 0;

        var delivered = await client.MessageBatches("INBOX", new FetchOptions { BatchSize = 3 })
            .Do(_ =>
            {
                if (Interlocked.Increment(ref batches) == 2)
                {
                    proxy.CutAll();
                }
            })
            .ToList().ToTask().WaitAsync(TimeSpan.FromMinutes(2));

        AssertEveryMessageOnce(uids, delivered.SelectMany(b => b).ToList());
        Assert.True(proxy.TotalConnections >= 2, "the cut forced a new connection");
    }

    [DovecotTheory]
    [InlineData(1, false)]
    [InlineData(3, false)]
    [InlineData(1, true)]
    public async Task Watch_AwkwardArrivals_EachArrivesOnceWithItsSummary(int maxConnections, bool notify)
    {
        // With one connection the watch's own IDLE (or NOTIFY) connection must make way for the one the narrowing borrows.
        var user = await fixture.CreateUserAsync();
        await using var client = SandboxAccounts.Client(fixture.Server, user, maxConnections: maxConnections);
        var events = new WatchTests.EventLog();
        var options = new WatchOptions { IncludeSummaries = true };
        var watch = notify ? client.Watch(new[] { "INBOX", SandboxFolders.Archive }, options) : client.Watch("INBOX", options);
        using var subscription = watch.Subscribe(events.Add, events.Fail);
        await events.WaitForAsync<WatchIdling>(1);

        IList<UniqueId> uids;
        await using (var other = await SandboxClient.ConnectAsync(fixture.Server, user))
        {
            foreach (var message in Folder)
            {
                await other.AppendAsync("INBOX", message.Parse());
            }

            uids = await other.GetUidsAsync("INBOX");
        }

        await events.WaitUntilAsync(() => events.ArrivedUids().Count >= uids.Count);

        Assert.Null(events.Error);
        Assert.Equal(uids.Select(u => u.Id), events.ArrivedUids());
        var summaries = events.Of<MessagesArrived>().SelectMany(e => e.Messages!).ToList();
        AssertEveryMessageOnce(uids, summaries);
        AssertFields(summaries, readFromHeader: true);
    }

    [DovecotFact]
    public async Task Sync_AwkwardFolder_EveryMessageArrivesOnceAndTheCheckpointHoldsThem()
    {
        var (user, uids) = await UserWithAwkwardFolderAsync();
        await using var client = SandboxAccounts.Client(fixture.Server, user);
        var store = new InMemorySyncStateStore();

        var events = await client.Sync("INBOX", store, new SyncOptions { BatchSize = 4 }).ToList().ToTask().WaitAsync(TimeSpan.FromMinutes(2));
        var again = await client.Sync("INBOX", store).ToList().ToTask().WaitAsync(TimeSpan.FromMinutes(1));

        var arrived = events.OfType<MessagesArrived>().ToList();
        Assert.Equal(uids.Select(u => u.Id), arrived.SelectMany(e => e.Uids));
        var summaries = arrived.SelectMany(e => e.Messages!).ToList();
        AssertEveryMessageOnce(uids, summaries);
        AssertFields(summaries, readFromHeader: true);
        Assert.Empty(again.OfType<MessagesArrived>());
        Assert.Equal(0, client.Pool.GetStatistics(client.Account).LeasesInUse);
    }

    [DovecotFact]
    public async Task GetImapMessage_AwkwardFolder_WritesEveryMessageOnce()
    {
        var (user, uids) = await UserWithAwkwardFolderAsync();
        var host = new PowerShell.PowerShellHost();
        var result = host.Run(
            "Connect-ImapServer -Server $server -Port $port -Credential $cred -TrustedCaPath $ca | Out-Null; Get-ImapMessage -Folder INBOX -BatchSize 4",
            new Dictionary<string, object?>
            {
                ["server"] = fixture.Server.Host,
                ["port"] = fixture.Server.TlsPort,
                ["cred"] = new System.Management.Automation.PSCredential(user.Name, Secure(user.Password)),
                ["ca"] = fixture.Server.CaCertificatePath,
            });

        Assert.Empty(result.Errors);
        var written = result.Objects(nameof(MailMessageInfo));
        Assert.Equal(uids.Select(u => u.Id), written.Select(o => (uint)o.Properties["Uid"].Value));
        var partial = written.Where(o => (bool)o.Properties["IsPartial"].Value).Select(o => (string)o.Properties["MessageId"].Value).Order().ToList();
        Assert.Equal(Folder.Where(m => m.SummaryTooBig).Select(m => m.MessageId).Order(), partial);
    }

    [DovecotFact]
    public async Task LeasedFetchOfEnvelope_LiteralAboveMailKitsLimit_IsResponseUnreadableAndNotRetried()
    {
        // What MailKit itself throws for such a message, through the one translation and retry path of cold streams.
        var (user, uids) = await UserWithAwkwardFolderAsync();
        await using var client = SandboxAccounts.Client(fixture.Server, user);
        var tooBig = uids[Folder.ToList().FindIndex(m => m.Name == "folded-subject-7k")];
        var attempts = 0;

        var stream = Leased.Run<IMessageSummary>(client.Context, "a raw ENVELOPE fetch", retry: true, async (lease, observer, ct) =>
        {
            Interlocked.Increment(ref attempts);
            var folder = await lease.OpenFolderAsync("INBOX", FolderAccess.ReadOnly, ct);
            foreach (var summary in await folder.FetchAsync(new[] { tooBig }, new FetchRequest(MessageSummaryItems.Envelope), ct))
            {
                observer.OnNext(summary);
            }
        });
        var error = await Assert.ThrowsAsync<ImapResponseUnreadableException>(() => stream.ToList().ToTask().WaitAsync(TimeSpan.FromMinutes(1)));

        Assert.Equal(1, attempts);
        Assert.Equal(ImapErrorKind.ResponseUnreadable, error.Kind);
        Assert.False(error.IsTransient);
        Assert.True(error.BreaksConnection);
        Assert.StartsWith("Literal token length", error.InnerException!.Message, StringComparison.Ordinal);
        Assert.Equal(0, client.Pool.GetStatistics(client.Account).OpenConnections);
    }

    private async Task<(SandboxUser User, IList<UniqueId> Uids)> UserWithAwkwardFolderAsync()
    {
        var user = await fixture.CreateUserAsync();
        await using var other = await SandboxClient.ConnectAsync(fixture.Server, user);
        foreach (var message in Folder)
        {
            await other.AppendAsync("INBOX", message.Parse());
        }

        var uids = await other.GetUidsAsync("INBOX");
        Assert.Equal(Folder.Count, uids.Count);
        return (user, uids);
    }

    /// <summary>The server's UIDs, each once, in order; and every generated message among them.</summary>
    private static void AssertEveryMessageOnce(IList<UniqueId> serverUids, IReadOnlyList<MailMessageInfo> messages)
    {
        Assert.Equal(serverUids.Select(u => u.Id), messages.Select(m => m.Uid));
        Assert.Equal(Folder.Select(m => m.MessageId), messages.Select(m => m.MessageId));
    }

    private static void AssertFields(IReadOnlyList<MailMessageInfo> messages, bool readFromHeader)
    {
        foreach (var expected in Folder)
        {
            var actual = messages.Single(m => m.MessageId == expected.MessageId);
            if (expected.Subject is not null)
            {
                Assert.Equal(expected.Subject.Trim(), actual.Subject.Trim());
            }

            if (readFromHeader && expected.SummaryTooBig)
            {
                Assert.True(actual.ReadIssues.HasFlag(MessageReadIssues.SummaryUnreadable), expected.Name);
                Assert.True(actual.IsPartial);
                Assert.NotEqual(DateTimeOffset.MinValue, actual.ReceivedAt);
                Assert.True(actual.Size > expected.Raw.Length / 2, expected.Name);
            }
            else if (expected.Name != "subject-and-file-name-too-big")
            {
                Assert.Equal(MessageReadIssues.None, actual.ReadIssues);
            }

            if (expected.AttachmentCount is { } count && !actual.ReadIssues.HasFlag(MessageReadIssues.BodyStructureUnreadable))
            {
                Assert.Equal(count, actual.AttachmentCount);
            }
        }

        foreach (var long5000 in new[] { "display-name-5000", "display-name-5000-utf8" })
        {
            var name = ByName(messages, long5000);
            Assert.Equal(5000, name.FromName.Length);
            Assert.Equal("long.name@example.org", name.From);
        }

        Assert.Equal(200, ByName(messages, "recipients-200").To.Count);
        Assert.Equal(new[] { "a@example.org", "b@example.org", "c@example.org" }, ByName(messages, "group-mixed").To);
        Assert.Empty(ByName(messages, "group-empty").To);
        Assert.Null(ByName(messages, "date-missing").SentAt);
        Assert.Equal(DateTimeOffset.UnixEpoch, ByName(messages, "date-epoch").SentAt);
        Assert.Equal("André", ByName(messages, "rfc2047-latin1").FromName);
        var both = ByName(messages, "subject-and-file-name-too-big");
        Assert.Equal(both.ReadIssues.HasFlag(MessageReadIssues.BodyStructureUnreadable) ? 0 : 1, both.AttachmentCount);
    }

    private static MailMessageInfo ByName(IReadOnlyList<MailMessageInfo> messages, string name)
        => messages.Single(m => m.MessageId == $"awkward.{name}@imaprx.sandbox");

    private static System.Security.SecureString Secure(string text)
    {
        var secure = new System.Security.SecureString();
        foreach (var c in text)
        {
            secure.AppendChar(c);
        }

        return secure;
    }

    /// <summary>Adds up one ImapRx counter while alive.</summary>
    internal sealed class CounterListener : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _total;

        internal CounterListener(string name)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == ImapRx.Diagnostics.ImapRxDiagnostics.Name && instrument.Name == name)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _total, value));
            _listener.Start();
        }

        internal long Total => Interlocked.Read(ref _total);

        public void Dispose() => _listener.Dispose();
    }
}
