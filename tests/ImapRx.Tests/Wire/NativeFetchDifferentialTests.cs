using System.Diagnostics.Metrics;
using ImapRx.Configuration;
using ImapRx.Fetching;
using ImapRx.Model;
using ImapRx.Operations;
using ImapRx.Sandbox.Server;
using ImapRx.Tests.Server;
using ImapRx.Wire;
using MailKit;

namespace ImapRx.Tests.Wire;

/// <summary>
/// The native FETCH path against MailKit's, on the real Dovecot: every field of every message equal, with the
/// native reader actually doing the work (no fallback), over plain, STARTTLS and TLS.
/// </summary>
[Collection(DovecotCollection.Name)]
public sealed class NativeFetchDifferentialTests(DovecotFixture fixture)
{
    [DovecotFact]
    public async Task Messages_SandboxCorpusAndEdgeMessages_NativeEqualsMailKitFieldByField()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, SandboxFolders.Inbox, new CorpusGenerator(14).Generate(400));
        await using var client = SandboxAccounts.Client(fixture.Server, user);
        foreach (var message in EdgeMessages.All())
        {
            await System.Reactive.Threading.Tasks.TaskObservableExtensions.ToTask(System.Reactive.Linq.Observable.DefaultIfEmpty(client.Append(SandboxFolders.Inbox, message, ImapRx.Model.MailFlags.Flagged)));
        }

        await AssertSameAsync(client, SandboxFolders.Inbox, expectedCount: 400 + EdgeMessages.All().Count());
    }

    [DovecotFact]
    public async Task Messages_TenThousandGeneratedMessages_NativeEqualsMailKitFieldByField()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, SandboxFolders.Archive, new CorpusGenerator(15).Generate(10_000));
        await using var client = SandboxAccounts.Client(fixture.Server, user);

        await AssertSameAsync(client, SandboxFolders.Archive, expectedCount: 10_000, batchSize: 1000);
    }

    [DovecotTheory]
    [InlineData(ImapEncryption.None)]
    [InlineData(ImapEncryption.StartTls)]
    [InlineData(ImapEncryption.Tls)]
    public async Task Messages_EachEncryption_NativeEqualsMailKit(ImapEncryption encryption)
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, SandboxFolders.Inbox, new CorpusGenerator(16).Generate(60));
        await using var client = SandboxAccounts.Client(fixture.Server, user, encryption);

        await AssertSameAsync(client, SandboxFolders.Inbox, expectedCount: 60, batchSize: 25);
    }

    [DovecotFact]
    public async Task Messages_NativePath_MarksNothingReadAndReturnsEveryLease()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, SandboxFolders.Inbox, new CorpusGenerator(17).Generate(50));
        await using var client = SandboxAccounts.Client(fixture.Server, user, maxConnections: 1);
        var unreadBefore = (await client.GetFolderAsync(SandboxFolders.Inbox)).UnreadCount;

        var messages = await client.GetMessagesAsync(SandboxFolders.Inbox, new FetchOptions { UseNativeReader = true, BatchSize = 20 });

        // Read before anything else leases: the fetch completes only after its leases and its slot are back.
        var statistics = client.Pool.GetStatistics(client.Account);
        Assert.Equal(50, messages.Count);
        Assert.Equal(0, statistics.LeasesInUse);
        Assert.True(statistics.OpenConnections <= 1, $"{statistics.OpenConnections} connections open with a limit of 1");
        Assert.True(unreadBefore > 0);
        Assert.Equal(unreadBefore, (await client.GetFolderAsync(SandboxFolders.Inbox)).UnreadCount);
    }

    [DovecotFact]
    public async Task Messages_SinceUid_NativeResumesAfterIt()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, SandboxFolders.Inbox, new CorpusGenerator(18).Generate(30));
        await using var client = SandboxAccounts.Client(fixture.Server, user);

        var messages = await client.GetMessagesAsync(SandboxFolders.Inbox, new FetchOptions { UseNativeReader = true, SinceUid = 20, BatchSize = 4 });

        Assert.Equal(Enumerable.Range(21, 10).Select(u => (uint)u), messages.Select(m => m.Uid));
    }

    [DovecotFact]
    public async Task OpenAsync_CertificateNotTrusted_FailsAndNeverReadsMail()
    {
        var user = await fixture.CreateUserAsync();
        var trusted = SandboxAccounts.For(fixture.Server, user);
        var untrusted = new ImapAccountOptions(trusted.Host, user.Name, ImapCredential.FromPassword(user.Password))
        {
            Encryption = ImapEncryption.Tls,
            Port = trusted.Port,
            Timeout = TimeSpan.FromSeconds(20),
        };

        await Assert.ThrowsAnyAsync<System.Security.Authentication.AuthenticationException>(
            () => WireSession.OpenAsync(untrusted, CancellationToken.None));
        await using var session = await WireSession.OpenAsync(trusted, CancellationToken.None); // the same server with its CA trusted
        Assert.True(session.HasModSeq);
    }

    private static async Task AssertSameAsync(ImapRxClient client, string folder, int expectedCount, int batchSize = 100)
    {
        var mailKit = await client.GetMessagesAsync(folder, new FetchOptions { UseNativeReader = false, BatchSize = batchSize });
        using var counters = new NativeCounters();
        var native = await client.GetMessagesAsync(folder, new FetchOptions { UseNativeReader = true, BatchSize = batchSize });

        Assert.Equal(expectedCount, mailKit.Count);
        InfoAssert.Equal(mailKit.ToList(), native.ToList());
        Assert.Equal(0, counters.Fallbacks);
        Assert.Equal((expectedCount + batchSize - 1) / batchSize, counters.Batches);
    }

    /// <summary>Counts the native path's batches and fallbacks while alive (the tests of this collection run one at a time).</summary>
    private sealed class NativeCounters : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _batches;
        private long _fallbacks;

        internal NativeCounters()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name is NativeFetchDiagnostics.BatchesName or NativeFetchDiagnostics.FallbacksName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
            {
                if (instrument.Name == NativeFetchDiagnostics.BatchesName)
                {
                    Interlocked.Add(ref _batches, value);
                }
                else
                {
                    Interlocked.Add(ref _fallbacks, value);
                }
            });
            _listener.Start();
        }

        internal long Batches => Interlocked.Read(ref _batches);

        internal long Fallbacks => Interlocked.Read(ref _fallbacks);

        public void Dispose() => _listener.Dispose();
    }
}
