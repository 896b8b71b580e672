using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using ImapRx.Fetching;
using ImapRx.Sandbox.Server;
using ImapRx.Tests.Server;

namespace ImapRx.Tests.Client;

/// <summary>Fetching over several pooled connections at once, and whole raw messages.</summary>
[Collection(DovecotCollection.Name)]
public sealed class ParallelFetchTests(DovecotFixture fixture)
{
    private const int MessageCount = 3_000;

    [DovecotFact]
    public async Task MessageBatches_MaxParallelismFour_EveryMessageOnceInUidOrderOverSeveralConnections()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, "INBOX", new CorpusGenerator(110).GenerateSmall(MessageCount));
        await using var client = SandboxAccounts.Client(fixture.Server, user, maxConnections: 4);
        var busiest = 0;

        var uids = await client.MessageBatches("INBOX", new FetchOptions { BatchSize = 100, MaxParallelism = 4 })
            .Do(_ => busiest = Math.Max(busiest, client.Pool.GetStatistics(client.Account).LeasesInUse))
            .SelectMany(b => b)
            .Select(m => m.Uid)
            .ToList()
            .ToTask()
            .WaitAsync(TimeSpan.FromSeconds(120));

        Assert.Equal(Enumerable.Range(1, MessageCount).Select(i => (uint)i), uids);
        Assert.InRange(busiest, 2, 4);
        Assert.Equal(0, client.Pool.GetStatistics(client.Account).LeasesInUse);
    }

    [DovecotFact]
    public async Task MessageBatches_ParallelWithSinceUidAndLimit_SameAsOneConnection()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, "INBOX", new CorpusGenerator(111).GenerateSmall(500));
        await using var client = SandboxAccounts.Client(fixture.Server, user, maxConnections: 3);

        var one = await client.Messages("INBOX", new FetchOptions { BatchSize = 37, SinceUid = 100, Limit = 250 }).ToList();
        var three = await client.Messages("INBOX", new FetchOptions { BatchSize = 37, SinceUid = 100, Limit = 250, MaxParallelism = 3 }).ToList();

        Assert.Equal(Enumerable.Range(101, 250).Select(i => (uint)i), three.Select(m => m.Uid));
        Assert.Equal(one.Select(m => (m.Uid, m.Subject, m.Size)), three.Select(m => (m.Uid, m.Subject, m.Size)));
    }

    [DovecotFact]
    public async Task MessageBatches_ParallelDisposedMidway_CancelsEveryBatchAndReturnsAllLeases()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, "INBOX", new CorpusGenerator(112).GenerateSmall(MessageCount));
        await using var client = SandboxAccounts.Client(fixture.Server, user, maxConnections: 4);
        var first = new TaskCompletionSource();

        var subscription = client.MessageBatches("INBOX", new FetchOptions { BatchSize = 50, MaxParallelism = 4 }).Subscribe(_ => first.TrySetResult());
        await first.Task.WaitAsync(TimeSpan.FromSeconds(60));
        subscription.Dispose();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (client.Pool.GetStatistics(client.Account).LeasesInUse > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "a batch kept its lease after the subscription was disposed");
            await Task.Delay(20);
        }

        Assert.Equal(MessageCount, await client.Messages("INBOX", new FetchOptions { MaxParallelism = 4 }).Count());
    }

    [DovecotFact]
    public async Task MessageBatches_ParallelWhileTheServerKillsEveryConnection_StillEveryMessageOnce()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, "INBOX", new CorpusGenerator(113).GenerateSmall(MessageCount));
        await using var client = SandboxAccounts.Client(fixture.Server, user, maxConnections: 4);
        var batches = 0;

        var uids = await client.MessageBatches("INBOX", new FetchOptions { BatchSize = 100, MaxParallelism = 4 })
            .Do(_ =>
            {
                if (Interlocked.Increment(ref batches) == 5)
                {
                    fixture.Server.RunDoveadmAsync(new[] { "kick", user.Name }).GetAwaiter().GetResult();
                }
            })
            .SelectMany(b => b)
            .Select(m => m.Uid)
            .ToList()
            .ToTask()
            .WaitAsync(TimeSpan.FromSeconds(120));

        Assert.Equal(Enumerable.Range(1, MessageCount).Select(i => (uint)i), uids);
    }

    [DovecotFact]
    public async Task MessageContents_Corpus_ServersBytesUnparsedInUidOrderAndNothingMarkedRead()
    {
        var user = await fixture.CreateUserAsync();
        var corpus = new CorpusGenerator(114).Generate(60).ToList();
        await new MaildirWriter(fixture.Server).WriteAsync(user, "INBOX", corpus);
        await using var client = SandboxAccounts.Client(fixture.Server, user, maxConnections: 3);
        var seenBefore = await client.Search("INBOX", "SEEN").Count();

        var one = await client.MessageContents("INBOX", new FetchOptions { BatchSize = 7 }).ToList();
        var three = await client.MessageContents("INBOX", new FetchOptions { BatchSize = 7, MaxParallelism = 3 }).ToList();
        var sizes = (await client.Messages("INBOX").ToList()).ToDictionary(m => m.Uid, m => m.Size);

        Assert.Equal(Enumerable.Range(1, 60).Select(i => (uint)i), one.Select(c => c.Uid));
        Assert.Equal(one.Select(c => c.Data.ToArray()), three.Select(c => c.Data.ToArray()));
        Assert.All(one, c => Assert.Equal(sizes[c.Uid], c.Size));
        // Maildir stores LF; IMAP speaks CRLF. Byte for byte otherwise.
        Assert.All(one.Zip(corpus), pair => Assert.Equal(
            System.Text.Encoding.Latin1.GetString(pair.Second.Content.Span).Replace("\r\n", "\n"),
            System.Text.Encoding.Latin1.GetString(pair.First.Data.Span).Replace("\r\n", "\n")));
        Assert.Equal(corpus[0].Subject, one[0].Parse().Subject);
        Assert.Equal(seenBefore, await client.Search("INBOX", "SEEN").Count());
    }

    [Fact]
    public void FetchOptions_MaxParallelismOutOfRange_ThrowsNamingIt()
    {
        Assert.Equal("MaxParallelism", Assert.Throws<ArgumentOutOfRangeException>(() => new FetchOptions { MaxParallelism = 0 }).ParamName);
        Assert.Equal("MaxParallelism", Assert.Throws<ArgumentOutOfRangeException>(() => new FetchOptions { MaxParallelism = 33 }).ParamName);
    }
}
