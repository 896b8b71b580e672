using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using ImapRx.Configuration;
using ImapRx.Diagnostics;
using ImapRx.Fetching;
using ImapRx.Operations;
using ImapRx.PowerShell.Infrastructure;
using ImapRx.Sandbox.Faults;
using ImapRx.Sandbox.Server;
using ImapRx.Tests.PowerShell;
using ImapRx.Tests.Server;

namespace ImapRx.Tests.Errors;

/// <summary>
/// Walks the table of docs/errors.md: every documented kind is made to happen for real (against the sandbox
/// Dovecot, through a fault proxy of its own), and the exception type, whether the operation ran again, whether
/// its connection stayed in the pool, and the PowerShell error id must be what the table says.
/// </summary>
[Collection(DovecotCollection.Name)]
public sealed class ErrorReferenceTests(DovecotFixture fixture)
{
    private static readonly Lazy<IReadOnlyDictionary<string, Row>> Table = new(ReadTable);

    public static TheoryData<string> DocumentedKinds()
    {
        var data = new TheoryData<string>();
        foreach (var kind in Table.Value.Keys.Order(StringComparer.Ordinal))
        {
            data.Add(kind);
        }

        return data;
    }

    [Fact]
    public void Table_EveryKind_DocumentedOnceAndAsTheTaxonomyDecides()
    {
        var kinds = Enum.GetNames<ImapErrorKind>();
        Assert.Equal(kinds.Order(StringComparer.Ordinal), Table.Value.Keys.Order(StringComparer.Ordinal));
        foreach (var row in Table.Value.Values)
        {
            var kind = Enum.Parse<ImapErrorKind>(row.Kind);
            var type = typeof(ImapRxException).Assembly.GetType("ImapRx." + row.Exception);
            Assert.True(type is not null && type.IsSubclassOf(typeof(ImapRxException)), $"{row.Exception} is not an ImapRxException");
            Assert.Equal(row.Retried == "yes", ImapErrors.IsTransient(kind));
            if (row.Connection != "none")
            {
                Assert.Equal(row.Connection == "discarded", ImapErrors.BreaksConnection(kind));
            }
        }
    }

    [DovecotTheory]
    [MemberData(nameof(DocumentedKinds))]
    public async Task Row_MadeToHappenForReal_BehavesAsDocumented(string kind)
    {
        var row = Table.Value[kind];
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, "INBOX", new CorpusGenerator(77).GenerateSmall(3));

        var observed = await ProduceAsync(Enum.Parse<ImapErrorKind>(kind), user);

        Assert.Equal(row.Exception, observed.Error.GetType().Name);
        Assert.Equal(kind, ((ImapRxException)observed.Error).Kind.ToString());
        Assert.True((row.Retried == "yes") == (observed.Attempts > 1), $"{kind}: documented retried={row.Retried}, ran {observed.Attempts} time(s)");
        switch (row.Connection)
        {
            case "kept":
                Assert.Equal(1, observed.OpenAfter);
                break;
            case "discarded":
            case "none":
                Assert.Equal(0, observed.OpenAfter);
                break;
            default:
                Assert.Fail($"unknown connection column '{row.Connection}'");
                break;
        }

        var record = ErrorIds.ToErrorRecord(observed.Error, null);
        Assert.Equal(row.ErrorId, record.FullyQualifiedErrorId);
        Assert.Equal(row.Category, record.CategoryInfo.Category.ToString());
    }

    private async Task<Observation> ProduceAsync(ImapErrorKind kind, SandboxUser user)
    {
        var server = fixture.Server;
        var tls = kind == ImapErrorKind.CertificateRejected;
        await using var proxy = new FaultProxy(tls ? server.TlsPort : server.PlainPort);
        var port = kind == ImapErrorKind.ConnectFailed ? ClosedPort() : proxy.Port;
        var account = new ImapAccountOptions(proxy.Host, user.Name, ImapCredential.FromPassword(kind == ImapErrorKind.AuthenticationFailed ? "not-" + user.Password : user.Password))
        {
            Encryption = tls ? ImapEncryption.Tls : ImapEncryption.None,
            Port = port,
            MaxConnections = 1,
            MaxRetries = 2,
            RetryDelay = TimeSpan.FromMilliseconds(50),
            MaxRetryDelay = TimeSpan.FromMilliseconds(200),
            LeaseTimeout = TimeSpan.FromMilliseconds(300),
            Timeout = TimeSpan.FromSeconds(10),
        };
        await using var client = new ImapRxClient(account);
        using var leases = new LeaseCounter(port);
        IObservable<object> operation;
        switch (kind)
        {
            case ImapErrorKind.ConnectionLost:
                proxy.CutOnPattern(Direction.ClientToServer, "SEARCH", FaultScope.EveryConnection);
                operation = client.Search("INBOX", "ALL").Select(u => (object)u);
                break;
            case ImapErrorKind.LeaseTimeout:
                var held = await client.Pool.LeaseAsync(account);
                leases.Reset();
                try
                {
                    var observation = await ObserveAsync(client.Folders().Select(f => (object)f), client, leases);

                    // The held lease's connection is not the failed operation's: count only what the operation left open.
                    return observation with { OpenAfter = observation.OpenAfter - 1 };
                }
                finally
                {
                    await held.DisposeAsync();
                }

            case ImapErrorKind.CommandRejected:
                // Dovecot refuses keywords longer than mail_max_keyword_length (50): a NO to a STORE, which is safe to retry.
                operation = client.StoreFlags("INBOX", new uint[] { 1 }, new FlagChange(addKeywords: new[] { new string('k', 200) })).Select(u => (object)u);
                break;
            case ImapErrorKind.FolderNotFound:
                operation = client.Search("NoSuchFolder", "ALL").Select(u => (object)u);
                break;
            case ImapErrorKind.MessageNotFound:
                operation = client.MimeMessage("INBOX", 999_999).Select(m => (object)m);
                break;
            case ImapErrorKind.UidValidityChanged:
                var validity = await client.GetUidValidityAsync("INBOX");
                // A batch of a parallel fetch whose UIDs were looked up under another UIDVALIDITY.
                operation = FetchBatches.Summaries(client.Context, "INBOX", FetchOptions.Default, new FetchPlan(new uint[] { 1 }, validity + 1, new object())).Select(b => (object)b);
                break;
            case ImapErrorKind.ResponseUnreadable:
                // MailKit refuses an ENVELOPE string above 4,096 bytes. Summary fetches narrow around such a message
                // and never report it; a raw FETCH of its ENVELOPE through the cold-stream path does.
                var tooBig = AwkwardCorpus.Folder().First(m => m.SummaryTooBig);
                MailKit.UniqueId unreadable;
                await using (var other = await SandboxClient.ConnectAsync(server, user))
                {
                    unreadable = await other.AppendAsync("INBOX", tooBig.Parse());
                }

                operation = Leased.Run<object>(client.Context, "a raw ENVELOPE fetch", retry: true, async (lease, observer, ct) =>
                {
                    var folder = await lease.OpenFolderAsync("INBOX", MailKit.FolderAccess.ReadOnly, ct);
                    foreach (var summary in await folder.FetchAsync(new[] { unreadable }, new MailKit.FetchRequest(MailKit.MessageSummaryItems.Envelope), ct))
                    {
                        observer.OnNext(summary);
                    }
                });
                break;
            case ImapErrorKind.ConnectFailed:
            case ImapErrorKind.AuthenticationFailed:
            case ImapErrorKind.CertificateRejected:
                operation = client.Folders().Select(f => (object)f);
                break;
            default:
                throw new InvalidOperationException($"No scenario makes {kind} happen; docs/errors.md documents it, so add one.");
        }

        if (kind is ImapErrorKind.FolderNotFound or ImapErrorKind.MessageNotFound or ImapErrorKind.UidValidityChanged or ImapErrorKind.CommandRejected or ImapErrorKind.ResponseUnreadable)
        {
            leases.Reset(); // GetUidValidityAsync above, for one, took a lease of its own
        }

        return await ObserveAsync(operation, client, leases);
    }

    private static async Task<Observation> ObserveAsync(IObservable<object> operation, ImapRxClient client, LeaseCounter leases)
    {
        var error = await Assert.ThrowsAnyAsync<ImapRxException>(() => operation.ToList().ToTask().WaitAsync(TimeSpan.FromSeconds(60)));
        return new Observation(error, leases.Count, client.Pool.GetStatistics(client.Account).OpenConnections);
    }

    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static IReadOnlyDictionary<string, Row> ReadTable()
    {
        var lines = File.ReadAllLines(Path.Combine(PowerShellHost.RepositoryRoot, "docs", "errors.md"));
        var header = Array.FindIndex(lines, l => l.StartsWith("| exception | kind |", StringComparison.Ordinal));
        Assert.True(header >= 0, "docs/errors.md has no table headed '| exception | kind |'");
        var rows = new Dictionary<string, Row>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(header + 2).TakeWhile(l => l.StartsWith('|')))
        {
            var cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            var kind = cells[1].Trim('`');
            if (kind.Length == 0)
            {
                continue; // argument errors, cancellation: not server failures
            }

            var id = System.Text.RegularExpressions.Regex.Match(cells[5], @"`(\w+)` \((\w+)\)");
            Assert.True(id.Success, $"no error id in '{cells[5]}'");
            Assert.True(rows.TryAdd(kind, new Row(cells[0].Trim('`'), kind, cells[3], cells[4], id.Groups[1].Value, id.Groups[2].Value)), $"{kind} is documented twice");
        }

        return rows;
    }

    private sealed record Row(string Exception, string Kind, string Retried, string Connection, string ErrorId, string Category);

    private sealed record Observation(Exception Error, int Attempts, int OpenAfter);

    /// <summary>Counts the leases taken for one port: each run of a cold stream takes exactly one.</summary>
    private sealed class LeaseCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private int _count;

        internal LeaseCounter(int port)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == ImapRxDiagnostics.Name && instrument.Name == ImapRxDiagnostics.LeaseWait)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "server.port" && Convert.ToInt32(tag.Value, System.Globalization.CultureInfo.InvariantCulture) == port)
                    {
                        Interlocked.Increment(ref _count);
                    }
                }
            });
            _listener.Start();
        }

        internal int Count => Volatile.Read(ref _count);

        internal void Reset() => Interlocked.Exchange(ref _count, 0);

        public void Dispose() => _listener.Dispose();
    }
}
