using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using ImapRx.AsyncStreams;
using ImapRx.Configuration;
using ImapRx.Fetching;
using ImapRx.Model;
using ImapRx.Operations;
using ImapRx.Sandbox.Faults;
using ImapRx.Sandbox.Server;
using ImapRx.Tests.Server;
using ImapRx.Tests.Wire;
using CounterListener = ImapRx.Tests.Operations.SummaryReaderTests.CounterListener;

namespace ImapRx.Tests.Operations;

/// <summary>
/// Whole messages through the native reader (<see cref="NativeContentsOperation"/>) against the MailKit path
/// (<c>GetStreamsAsync</c>), on the real Dovecot: the same bytes, UIDs, UIDVALIDITY and folder for every message, in
/// the same order, with the native reader doing the work (no fallback) unless the test forces one.
/// </summary>
[Collection(DovecotCollection.Name)]
public sealed class NativeContentsOperationTests(DovecotFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [DovecotFact]
    public async Task MessageContents_SandboxCorpusMalformedAndEdgeMessages_NativeEqualsMailKitByteForByte()
    {
        var user = await fixture.CreateUserAsync();

        // Every 20th corpus message is malformed (written to the maildir as is): its bytes must come back untouched.
        await new MaildirWriter(fixture.Server).WriteAsync(user, SandboxFolders.Inbox, new CorpusGenerator(141).Generate(300));
        await using var client = SandboxAccounts.Client(fixture.Server, user);
        foreach (var message in EdgeMessages.All())
        {
            await client.Append(SandboxFolders.Inbox, message, MailFlags.Flagged).DefaultIfEmpty().ToTask();
        }

        await AssertSameAsync(client, SandboxFolders.Inbox, expectedCount: 300 + EdgeMessages.All().Count(), batchSize: 50);
    }

    [DovecotFact]
    public async Task MessageContents_AwkwardCorpus_NativeEqualsMailKitAndTheAppendedBytes()
    {
        var user = await fixture.CreateUserAsync();
        var folder = AwkwardCorpus.Folder();
        await using (var other = await SandboxClient.ConnectAsync(fixture.Server, user))
        {
            foreach (var message in folder)
            {
                await other.AppendAsync("INBOX", message.Parse());
            }
        }

        await using var client = SandboxAccounts.Client(fixture.Server, user);

        var native = await AssertSameAsync(client, "INBOX", expectedCount: folder.Count, batchSize: 7);

        // MimeKit writes an unchanged message back byte for byte, so the server holds exactly the corpus's bytes.
        for (var i = 0; i < folder.Count; i++)
        {
            Assert.True(folder[i].Raw.AsSpan().SequenceEqual(native[i].Data.Span), folder[i].Name);
        }
    }

    [DovecotTheory]
    [InlineData(ImapEncryption.None)]
    [InlineData(ImapEncryption.StartTls)]
    [InlineData(ImapEncryption.Tls)]
    public async Task MessageContents_EachEncryption_NativeEqualsMailKit(ImapEncryption encryption)
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, SandboxFolders.Inbox, new CorpusGenerator(142).Generate(40));
        await using var client = SandboxAccounts.Client(fixture.Server, user, encryption);

        await AssertSameAsync(client, SandboxFolders.Inbox, expectedCount: 40, batchSize: 15);
    }

    [DovecotFact]
    public async Task EnumerateMessageContentsAsync_NativeWithSinceUidAndLimit_SameAsMailKit()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, SandboxFolders.Inbox, new CorpusGenerator(143).Generate(60));
        await using var client = SandboxAccounts.Client(fixture.Server, user);
        using var batches = new CounterListener(NativeFetchDiagnostics.BatchesName);

        var native = await Pull(client, new FetchOptions { UseNativeReader = true, BatchSize = 7, SinceUid = 10, Limit = 33 });
        var nativeBatches = batches.Total;
        var mailKit = await Pull(client, new FetchOptions { UseNativeReader = false, BatchSize = 7, SinceUid = 10, Limit = 33 });

        Assert.Equal(Enumerable.Range(11, 33).Select(u => (uint)u), native.Select(m => m.Uid));
        AssertSame(mailKit, native);
        Assert.Equal(5, nativeBatches);

        async Task<List<MailMessageContent>> Pull(ImapRxClient c, FetchOptions options)
        {
            var list = new List<MailMessageContent>();
            await foreach (var content in c.EnumerateMessageContentsAsync(SandboxFolders.Inbox, options))
            {
                list.Add(content);
            }

            return list;
        }
    }

    [DovecotFact]
    public async Task MessageContents_Native_NeverMarksAnythingReadAndReturnsEveryLease()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, SandboxFolders.Inbox, new CorpusGenerator(144).Generate(50));
        await using var client = SandboxAccounts.Client(fixture.Server, user, maxConnections: 1);
        var before = (await client.GetMessagesAsync(SandboxFolders.Inbox)).ToDictionary(m => m.Uid, m => m.IsRead);

        var contents = await client.GetMessageContentsAsync(SandboxFolders.Inbox, new FetchOptions { UseNativeReader = true, BatchSize = 20 });

        var statistics = client.Pool.GetStatistics(client.Account);
        Assert.Equal(50, contents.Count);
        Assert.Equal(0, statistics.LeasesInUse);
        Assert.True(statistics.OpenConnections <= 1, $"{statistics.OpenConnections} connections open with a limit of 1");
        Assert.Contains(false, before.Values);
        var after = (await client.GetMessagesAsync(SandboxFolders.Inbox)).ToDictionary(m => m.Uid, m => m.IsRead);
        Assert.Equal(before, after);
    }

    [DovecotFact]
    public async Task MessageContents_ConnectionCutMidFetch_ResumesAndDeliversEveryMessageOnce()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, SandboxFolders.Inbox, new CorpusGenerator(145).Generate(60));
        await using var proxy = new FaultProxy(fixture.Server.PlainPort);
        await using var client = new ImapRxClient(ThroughProxy(proxy, user));
        var expected = await client.GetMessageContentsAsync(SandboxFolders.Inbox, new FetchOptions { BatchSize = 60 });
        using var batches = new CounterListener(NativeFetchDiagnostics.BatchesName);
        var seen = 0;
        var connectionsBefore = proxy.TotalConnections;

        // After the second batch the socket is cut while the bulk session is reading the third.
        var delivered = await client.MessageContents(SandboxFolders.Inbox, new FetchOptions { UseNativeReader = true, BatchSize = 8 })
            .Do(_ =>
            {
                if (Interlocked.Increment(ref seen) == 16)
                {
                    proxy.CutAll();
                }
            })
            .ToList().ToTask().WaitAsync(Patience);

        Assert.True(expected.Select(m => m.Uid).SequenceEqual(delivered.Select(m => m.Uid)), "delivered UIDs " + string.Join(",", delivered.Select(m => m.Uid)));
        AssertSame(expected.ToList(), delivered.ToList());
        Assert.True(proxy.CountEvents(FaultEventKind.Cut) >= 1, "the proxy cut a connection");
        // The bulk session that planned and read the first batches, and a new one that planned again after the cut.
        Assert.True(proxy.TotalConnections - connectionsBefore >= 2, "a new bulk session after the cut");
        Assert.True(batches.Total >= 7, $"the native reader read the batches ({batches.Total})");
    }

    [DovecotFact]
    public async Task MessageContents_BatchTheReaderRejects_FetchedThroughMailKitAndCounted()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, SandboxFolders.Inbox, new CorpusGenerator(146).Generate(30));
        await using var proxy = new FaultProxy(fixture.Server.PlainPort);
        await using var client = new ImapRxClient(ThroughProxy(proxy, user));
        var expected = await client.GetMessageContentsAsync(SandboxFolders.Inbox, new FetchOptions { BatchSize = 30 });
        using var fallbacks = new CounterListener(NativeFetchDiagnostics.FallbacksName);
        using var batches = new CounterListener(NativeFetchDiagnostics.BatchesName);

        // Only the bulk session asks for "UID BODY.PEEK[]" (MailKit asks for "BODY.PEEK[]"): its answers now carry a
        // BODY[HEADER] section, which the reader does not know, so each of its batches goes to MailKit.
        proxy.Rewrite(Direction.ClientToServer, "(UID BODY.PEEK[])", "(UID BODY.PEEK[HEADER] BODY.PEEK[])");
        var delivered = await client.GetMessageContentsAsync(SandboxFolders.Inbox, new FetchOptions { UseNativeReader = true, BatchSize = 10 });

        AssertSame(expected.ToList(), delivered.ToList());
        Assert.Equal(3, fallbacks.Total);
        Assert.Equal(0, batches.Total);
        Assert.Equal(0, client.Pool.GetStatistics(client.Account).LeasesInUse);
    }

    [DovecotFact]
    public async Task DisposeAsync_NativeContentsFetchInFlight_FailsWithObjectDisposedAndClosesEverySession()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, SandboxFolders.Inbox, new CorpusGenerator(147) { MalformedInterval = 0 }.GenerateSmall(40));
        var client = new ImapRxClient(SandboxAccounts.For(fixture.Server, user));
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ended = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var received = 0;
        using var subscription = client.MessageContentBatches(SandboxFolders.Inbox, new FetchOptions { UseNativeReader = true, BatchSize = 2 }, demand: null)
            .Subscribe(
                _ =>
                {
                    Interlocked.Increment(ref received);
                    started.TrySetResult();
                    release.Task.Wait(Patience); // the first batch waits until disposal has begun
                },
                ex => ended.TrySetResult(ex),
                () => ended.TrySetResult(null));
        await started.Task.WaitAsync(Patience);

        var disposing = client.DisposeAsync();
        release.SetResult();
        await disposing.AsTask().WaitAsync(Patience);

        Assert.IsType<ObjectDisposedException>(await ended.Task.WaitAsync(Patience));
        Assert.True(Volatile.Read(ref received) < 20, "the fetch was cut short, not run to its end");
        Assert.Equal(0, await fixture.Server.WaitForConnectionsAsync(0, user.Name, Patience));
    }

    private static async Task<List<MailMessageContent>> AssertSameAsync(ImapRxClient client, string folder, int expectedCount, int batchSize)
    {
        var mailKit = await client.GetMessageContentsAsync(folder, new FetchOptions { UseNativeReader = false, BatchSize = batchSize });
        using var fallbacks = new CounterListener(NativeFetchDiagnostics.FallbacksName);
        using var batches = new CounterListener(NativeFetchDiagnostics.BatchesName);
        var native = await client.GetMessageContentsAsync(folder, new FetchOptions { UseNativeReader = true, BatchSize = batchSize });

        Assert.Equal(expectedCount, mailKit.Count);
        AssertSame(mailKit.ToList(), native.ToList());
        Assert.Equal(0, fallbacks.Total);
        Assert.Equal((expectedCount + batchSize - 1) / batchSize, batches.Total);
        return native.ToList();
    }

    /// <summary>Message by message: folder, UID, UIDVALIDITY and every byte, in the same order.</summary>
    private static void AssertSame(IReadOnlyList<MailMessageContent> expected, IReadOnlyList<MailMessageContent> actual)
    {
        Assert.Equal(expected.Select(m => m.Uid), actual.Select(m => m.Uid));
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Folder, actual[i].Folder);
            Assert.Equal(expected[i].UidValidity, actual[i].UidValidity);
            Assert.True(expected[i].Data.Span.SequenceEqual(actual[i].Data.Span), $"UID {expected[i].Uid}: {expected[i].Size} bytes through MailKit, {actual[i].Size} natively");
        }
    }

    private static ImapAccountOptions ThroughProxy(FaultProxy proxy, SandboxUser user)
        => new(proxy.Host, user.Name, ImapCredential.FromPassword(user.Password))
        {
            Encryption = ImapEncryption.None,
            Port = proxy.Port,
            MaxRetries = 3,
            RetryDelay = TimeSpan.FromMilliseconds(50),
            Timeout = TimeSpan.FromSeconds(10),
        };
}
