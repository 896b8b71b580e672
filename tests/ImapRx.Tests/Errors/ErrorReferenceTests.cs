using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using ImapRx.Configuration;
using ImapRx.Diagnostics;
using ImapRx.Fetching;
using ImapRx.Model;
using ImapRx.Sync;
using ImapRx.Operations;
using ImapRx.PowerShell.Infrastructure;
using ImapRx.Sandbox.Faults;
using ImapRx.Sandbox.Server;
using ImapRx.Tests.PowerShell;
using ImapRx.Tests.Reliability;
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

    /// <summary>
    /// Item 3 of issue 18: a malformed corpus (the generator's broken MIME, raw 8-bit headers and missing dates, plus
    /// hand-made bytes no generator writes: an empty message, a lone newline, binary garbage...) fed to every stream.
    /// Whole-folder streams deliver every message; what fails is an exception type the table documents, naming
    /// folder and UID, and no connection is lost over it.
    /// </summary>
    [DovecotFact]
    public async Task EveryStream_MalformedCorpus_DeliversOrFailsWithADocumentedTypeNamingFolderAndUid()
    {
        var user = await fixture.CreateUserAsync();
        var generated = new CorpusGenerator(78).Generate(60).Where(m => m.Malformation != CorpusMalformation.None).ToList();
        var handMade = new[]
        {
            CorpusMessage.Raw(ReadOnlyMemory<byte>.Empty, "empty"),
            CorpusMessage.Raw("\n"u8.ToArray(), "a lone newline"),
            CorpusMessage.Raw("Subject: a header and no end of line"u8.ToArray(), "unterminated header"),
            CorpusMessage.Raw(new byte[] { 0, 0xff, 0xfe, 1, 2, 0x0a, 0, 0x0a }, "binary garbage"),
            CorpusMessage.Raw("Subject: nested\nContent-Type: multipart/mixed; boundary=\"x\"\n\n--x\nContent-Type: message/rfc822\n\n--x--\n"u8.ToArray(), "empty embedded message"),
            CorpusMessage.Raw("Subject: pdf\nContent-Type: application/pdf; name=a.pdf\nContent-Disposition: attachment; filename=a.pdf\nContent-Transfer-Encoding: base64\n\n!!! not base64 !!!\n"u8.ToArray(), "undecodable attachment"),
            CorpusMessage.Raw("Subject: endless\nX-Long: "u8.ToArray().Concat(Enumerable.Repeat((byte)'a', 100_000)).Append((byte)'\n').ToArray(), "a 100 kB header line"),
        };
        var corpus = generated.Concat(handMade).ToList();
        await new MaildirWriter(fixture.Server).WriteAsync(user, "INBOX", corpus);
        var uids = Enumerable.Range(1, corpus.Count).Select(i => (uint)i).ToList();
        var empty = (uint)(generated.Count + 1);
        await using var client = SandboxAccounts.Client(fixture.Server, user, maxConnections: 2);
        var failures = new List<(string Stream, uint Uid, Exception Error)>();

        async Task TryAsync(string stream, uint uid, Func<Task> run)
        {
            try
            {
                await run();
            }
            catch (Exception ex)
            {
                failures.Add((stream, uid, ex));
            }
        }

        // Whole-folder streams: every message, malformed or not, arrives once.
        Assert.Equal(uids, (await client.Messages("INBOX").ToList()).Select(m => m.Uid));
        Assert.Equal(uids, (await client.Messages("INBOX", new FetchOptions { UseNativeReader = true }).ToList()).Select(m => m.Uid));
        Assert.Equal(uids, (await client.Messages("INBOX", new FetchOptions { Bodies = BodyFetchMode.TextAndHtml }).ToList()).Select(m => m.Uid));
        Assert.Equal(uids, (await client.Messages("INBOX", new FetchOptions { Bodies = BodyFetchMode.TextAndHtml, MaxParallelism = 2, BatchSize = 3 }).ToList()).Select(m => m.Uid).Order());
        Assert.Equal(uids, (await client.Search("INBOX", "ALL").ToList()).Order());
        var synced = await client.Sync("INBOX", new InMemorySyncStateStore()).OfType<MessagesArrived>().SelectMany(a => a.Uids).ToList();
        Assert.Equal(uids, synced.Order());
        var contents = await client.MessageContents("INBOX").ToList();
        Assert.Equal(uids, contents.Select(c => c.Uid));
        Assert.Equal(0, contents.Single(c => c.Uid == empty).Size);

        // Per message: parse, save, attachments.
        foreach (var content in contents)
        {
            await TryAsync("MailMessageContent.Parse", content.Uid, () => Task.FromResult(content.Parse()));
        }

        foreach (var uid in uids)
        {
            await TryAsync("MimeMessage", uid, async () =>
            {
                using var message = await client.MimeMessage("INBOX", uid);
                foreach (var part in message.Attachments.OfType<MimeKit.MimePart>())
                {
                    part.Content?.DecodeTo(Stream.Null);
                }
            });
            using var saved = new MemoryStream();
            await TryAsync("SaveMessage", uid, async () =>
            {
                var written = await client.SaveMessage("INBOX", uid, saved);
                Assert.Equal(saved.Length, written);
            });
        }

        // The known case: the empty message names its folder and UID wherever it is parsed. Only parsing fails (binary
        // garbage too, on the same terms); the raw bytes of every message are saved.
        Assert.Contains(("MailMessageContent.Parse", empty), failures.Select(f => (f.Stream, f.Uid)));
        Assert.Contains(("MimeMessage", empty), failures.Select(f => (f.Stream, f.Uid)));
        Assert.All(failures, f => Assert.True(f.Stream is "MailMessageContent.Parse" or "MimeMessage", $"{f.Stream} of UID {f.Uid}: {f.Error}"));
        Assert.Equal(failures.Where(f => f.Stream == "MimeMessage").Select(f => f.Uid), failures.Where(f => f.Stream != "MimeMessage").Select(f => f.Uid));
        var documented = DocumentedExceptionTypes();
        foreach (var (stream, uid, error) in failures)
        {
            Assert.True(documented.Contains(error.GetType().Name), $"{stream} of UID {uid} failed with {error.GetType().Name}, which docs/errors.md does not list: {error}");
            var malformed = Assert.IsType<ImapMessageMalformedException>(error);
            Assert.Equal(("INBOX", uid), (malformed.Folder, malformed.Uid));
            Assert.Contains($"UID {uid} in 'INBOX'", malformed.Message, StringComparison.Ordinal);
            Assert.IsAssignableFrom<FormatException>(malformed.InnerException);
            Assert.False(malformed.IsTransient || malformed.BreaksConnection);
            Assert.Equal("ImapMessageMalformed", ErrorIds.ToErrorRecord(malformed, null).FullyQualifiedErrorId);
        }

        // Bad input to Append: a null message at call time; a message with no headers and no body is the server's to judge.
        Assert.Throws<ArgumentNullException>(() => client.Append("INBOX", null!));
        try
        {
            await client.Append("INBOX", new MimeKit.MimeMessage());
        }
        catch (Exception ex)
        {
            Assert.True(documented.Contains(ex.GetType().Name), $"Append of an empty message failed with {ex.GetType().Name}, which docs/errors.md does not list: {ex}");
        }

        // No connection was thrown away over a message's content.
        var statistics = client.Pool.GetStatistics(client.Account);
        Assert.Equal(0, statistics.LeasesInUse);
        Assert.InRange(statistics.OpenConnections, 1, 2);
        ReliabilityFigures.Add("malformed messages fed to every stream (typed errors)", corpus.Count);
    }

    private static HashSet<string> DocumentedExceptionTypes()
    {
        var lines = File.ReadAllLines(Path.Combine(PowerShellHost.RepositoryRoot, "docs", "errors.md"));
        var header = Array.FindIndex(lines, l => l.StartsWith("| exception | kind |", StringComparison.Ordinal));
        return lines.Skip(header + 2).TakeWhile(l => l.StartsWith('|'))
            .SelectMany(l => System.Text.RegularExpressions.Regex.Matches(l.Split('|')[1], @"`(\w+)`").Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);
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
            case ImapErrorKind.MessageMalformed:
                // An empty file in the Maildir: the server delivers it as a 0-byte literal that MimeKit cannot parse.
                await new MaildirWriter(server).WriteAsync(user, "INBOX", new[] { CorpusMessage.Raw(ReadOnlyMemory<byte>.Empty, "empty") });
                operation = client.MimeMessage("INBOX", 4).Select(m => (object)m);
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

        if (kind is ImapErrorKind.FolderNotFound or ImapErrorKind.MessageNotFound or ImapErrorKind.UidValidityChanged or ImapErrorKind.CommandRejected or ImapErrorKind.ResponseUnreadable or ImapErrorKind.MessageMalformed)
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
