using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using ImapRx.Configuration;
using ImapRx.Fetching;
using ImapRx.Sandbox.Faults;
using ImapRx.Sandbox.Server;
using ImapRx.Tests.Server;

namespace ImapRx.Tests.Operations;

/// <summary>
/// The native reader's bulk session and the pooled MailKit connections never add up to more sessions than
/// MaxConnections, as the server itself counts them (Dovecot's anvil, <c>doveadm who</c>): through a fetch with a
/// batch the reader rejects (fetched again through MailKit) and a cut mid-FETCH (resumed).
/// </summary>
[Collection(DovecotCollection.Name)]
public sealed class NativeFetchSessionLimitTests(DovecotFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [DovecotTheory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Messages_NativeReaderWithFallbackAndCut_ServerNeverCountsMoreSessionsThanMaxConnections(int maxConnections)
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, SandboxFolders.Inbox, new CorpusGenerator(41).Generate(400));
        await using var proxy = new FaultProxy(fixture.Server.PlainPort);
        await using var client = new ImapRxClient(ThroughProxy(proxy, user, maxConnections));

        // Some idle pooled connections first, as a busy client has them when the fetch starts.
        await Task.WhenAll(Enumerable.Range(0, maxConnections).Select(_ => client.GetFolderAsync(SandboxFolders.Inbox)));

        // W8 UID FETCH gets BAD: the first batch of the bulk session that planned the fetch (after CAPABILITY,
        // AUTHENTICATE, CAPABILITY, ENABLE, LIST, EXAMINE, UID SEARCH), then the third batch of every later bulk
        // session (which does not plan: EXAMINE is its W5). Those batches go through MailKit, a new bulk session
        // takes the next ones.
        var reject = proxy.Rewrite(Direction.ClientToServer, "W8 UID FETCH", "W8 UID FETCX");
        var cut = proxy.CutOnPattern(Direction.ServerToClient, "* 260 FETCH");
        using var sampling = new CancellationTokenSource();
        var sampler = SampleAsync(fixture.Server, user, sampling.Token);

        var uids = await client.Messages(SandboxFolders.Inbox, new FetchOptions { UseNativeReader = true, BatchSize = 50 })
            .Select(m => m.Uid).ToList().ToTask().WaitAsync(Patience);
        await sampling.CancelAsync();
        var (serverMax, samples) = await sampler;

        Assert.Equal(Enumerable.Range(1, 400).Select(i => (uint)i), uids);
        Assert.True(reject.RewrittenCount >= 1, "no batch was rejected");
        Assert.Equal(1, cut.FiredCount);
        Assert.True(samples >= 3, $"only {samples} samples of the server's count");
        Assert.True(serverMax <= maxConnections, $"Dovecot counted {serverMax} sessions at once with MaxConnections = {maxConnections}");
    }

    [DovecotFact]
    public async Task Messages_BulkLogoutAnsweredLate_NoOtherSessionUntilTheServerEndedTheBulkOne()
    {
        // A pool of one: after the rejected batch (the second of the bulk session that planned the fetch: LIST,
        // EXAMINE and UID SEARCH are its W5 to W7) the bulk session logs out and MailKit takes the slot. The proxy
        // holds the LOGOUT for 4 s, longer than the 2 s the session used to wait before closing and giving its slot
        // back, so the server still ran the bulk session while MailKit logged in. It must wait for the server's end.
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, SandboxFolders.Inbox, new CorpusGenerator(42).Generate(120));
        await using var proxy = new FaultProxy(fixture.Server.PlainPort);
        await using var client = new ImapRxClient(ThroughProxy(proxy, user, maxConnections: 1));
        var reject = proxy.Rewrite(Direction.ClientToServer, "W9 UID FETCH", "W9 UID FETCX");
        var hold = proxy.HoldOnPattern(Direction.ClientToServer, "W10 LOGOUT", TimeSpan.FromSeconds(4));
        using var sampling = new CancellationTokenSource();
        var sampler = SampleAsync(fixture.Server, user, sampling.Token);

        var batches = await client.MessageBatches(SandboxFolders.Inbox, new FetchOptions { UseNativeReader = true, BatchSize = 50 })
            .Select(b => b.Select(m => m.Uid).ToList()).ToList().ToTask().WaitAsync(Patience);
        await sampling.CancelAsync();
        var (serverMax, samples) = await sampler;

        Assert.Equal(Enumerable.Range(1, 120).Select(i => (uint)i), batches.SelectMany(b => b));
        Assert.Equal(1, reject.RewrittenCount);
        Assert.Equal(1, hold.FiredCount);
        Assert.True(samples >= 3, $"only {samples} samples of the server's count");
        Assert.True(serverMax <= 1, $"Dovecot counted {serverMax} sessions at once with MaxConnections = 1");
    }

    /// <summary>
    /// Until cancelled: the most sessions Dovecot counted for the user at once, and how many times it was asked.
    /// (Not the proxy's count of live connections: it drops a connection only after both of its pumps ended, later
    /// than the server did, so it is not the server's count.)
    /// </summary>
    internal static async Task<(int Server, int Samples)> SampleAsync(DovecotServer dovecot, SandboxUser user, CancellationToken cancellationToken)
    {
        var server = 0;
        var samples = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            server = Math.Max(server, await dovecot.CountConnectionsAsync(user.Name, CancellationToken.None));
            samples++;
        }

        return (server, samples);
    }

    internal static ImapAccountOptions ThroughProxy(FaultProxy proxy, SandboxUser user, int maxConnections)
        => new(proxy.Host, user.Name, ImapCredential.FromPassword(user.Password))
        {
            Encryption = ImapEncryption.None,
            Port = proxy.Port,
            MaxConnections = maxConnections,
            RetryDelay = TimeSpan.FromMilliseconds(50),
            Timeout = TimeSpan.FromSeconds(20),
        };
}
