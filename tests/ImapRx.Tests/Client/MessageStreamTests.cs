using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using ImapRx.Fetching;
using ImapRx.Sandbox.Server;
using ImapRx.Tests.Server;
using MailKit;
using MimeKit;

namespace ImapRx.Tests.Client;

[Collection(DovecotCollection.Name)]
public sealed class MessageStreamTests(DovecotFixture fixture)
{
    private static readonly IReadOnlyList<CorpusMessage> Corpus = new CorpusGenerator(7).Generate(40).ToList();

    private async Task<SandboxUser> UserWithCorpusAsync(string folder = SandboxFolders.Inbox)
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, folder, Corpus);
        return user;
    }

    [DovecotFact]
    public async Task Messages_Corpus_EveryFieldMatchesWhatWasGenerated()
    {
        var user = await UserWithCorpusAsync();
        await using var client = SandboxAccounts.Client(fixture.Server, user);

        var messages = await client.GetMessagesAsync("INBOX", new FetchOptions { Bodies = BodyFetchMode.TextAndHtml });

        Assert.Equal(Corpus.Count, messages.Count);
        for (var i = 0; i < Corpus.Count; i++)
        {
            var expected = Corpus[i];
            var actual = messages[i];
            Assert.Equal((uint)(i + 1), actual.Uid);
            Assert.Equal("INBOX", actual.Folder);
            if (expected.Malformation != CorpusMalformation.None)
            {
                continue; // Best-effort parse: fields of broken messages are not pinned, only that they arrive.
            }

            Assert.Equal(expected.MessageId, actual.MessageId);
            Assert.Equal(expected.Subject, actual.Subject);
            Assert.Equal(expected.From.Select(a => a.Address).FirstOrDefault() ?? string.Empty, actual.From);
            Assert.Equal(expected.To.Select(a => a.Address), actual.To);
            Assert.Equal(expected.Cc.Select(a => a.Address), actual.Cc);
            Assert.Equal(expected.Bcc.Select(a => a.Address), actual.Bcc);
            Assert.Equal(expected.AttachmentCount, actual.AttachmentCount);
            Assert.Equal(CrlfSize(expected.Content.Span), actual.Size); // RFC822.SIZE counts CRLF line ends.
            Assert.Equal(expected.InternalDate.ToUnixTimeSeconds(), actual.ReceivedAt.ToUnixTimeSeconds());
            Assert.Equal(actual.ReceivedAt.ToUnixTimeMilliseconds(), actual.ReceivedAtUnixMilliseconds);
            Assert.Equal(expected.Date?.ToUnixTimeSeconds(), actual.SentAt?.ToUnixTimeSeconds());
            Assert.Equal(expected.Flags.HasFlag(MessageFlags.Seen), actual.IsRead);
            Assert.Equal(expected.Flags.HasFlag(MessageFlags.Flagged), actual.IsStarred);
            Assert.Equal(expected.Flags.HasFlag(MessageFlags.Answered), actual.IsAnswered);
            Assert.Equal(expected.Flags.HasFlag(MessageFlags.Seen), actual.Flags.Contains("\\Seen"));
            Assert.Equal(CorpusMessage.NormalizeNewLines(expected.TextBody) ?? string.Empty, CorpusMessage.NormalizeNewLines(actual.TextBody));
            Assert.Equal(CorpusMessage.NormalizeNewLines(expected.HtmlBody) ?? string.Empty, CorpusMessage.NormalizeNewLines(actual.HtmlBody));
            Assert.False(actual.IsSpam);
            Assert.False(actual.IsSent);
        }
    }

    [DovecotFact]
    public async Task Messages_WithBodies_DoesNotMarkAnythingRead()
    {
        var user = await UserWithCorpusAsync();
        await using var client = SandboxAccounts.Client(fixture.Server, user);
        var unreadBefore = (await client.GetFolderAsync("INBOX")).UnreadCount;

        await client.GetMessagesAsync("INBOX", new FetchOptions { Bodies = BodyFetchMode.TextAndHtml });
        await client.MimeMessage("INBOX", 1).FirstAsync();
        await client.SaveMessage("INBOX", 2, new MemoryStream()).FirstAsync();

        Assert.True(unreadBefore > 0);
        Assert.Equal(unreadBefore, (await client.GetFolderAsync("INBOX")).UnreadCount);
    }

    [DovecotFact]
    public async Task MessageBatches_BatchSizeSeven_EmitsFullBatchesInUidOrder()
    {
        var user = await UserWithCorpusAsync();
        await using var client = SandboxAccounts.Client(fixture.Server, user);

        var batches = await client.MessageBatches("INBOX", new FetchOptions { BatchSize = 7 }).ToList();

        Assert.Equal(new[] { 7, 7, 7, 7, 7, 5 }, batches.Select(b => b.Count));
        Assert.Equal(Enumerable.Range(1, 40).Select(i => (uint)i), batches.SelectMany(b => b).Select(m => m.Uid));
    }

    [DovecotFact]
    public async Task Messages_SinceUid_ReturnsOnlyNewerMessages()
    {
        var user = await UserWithCorpusAsync();
        await using var client = SandboxAccounts.Client(fixture.Server, user);

        var newer = await client.GetMessagesAsync("INBOX", new FetchOptions { SinceUid = 35 });
        var none = await client.GetMessagesAsync("INBOX", new FetchOptions { SinceUid = 40 });
        var limited = await client.GetMessagesAsync("INBOX", new FetchOptions { Limit = 3 });

        Assert.Equal(new uint[] { 36, 37, 38, 39, 40 }, newer.Select(m => m.Uid));
        Assert.Empty(none);
        Assert.Equal(new uint[] { 1, 2, 3 }, limited.Select(m => m.Uid));
    }

    [DovecotFact]
    public async Task SaveMessage_Uid_WritesTheWholeMessage()
    {
        var user = await UserWithCorpusAsync();
        await using var client = SandboxAccounts.Client(fixture.Server, user);
        using var buffer = new MemoryStream();

        var written = await client.SaveMessage("INBOX", 3, buffer).FirstAsync();

        buffer.Position = 0;
        var parsed = await MimeMessage.LoadAsync(buffer);
        Assert.Equal(buffer.Length, written);
        Assert.Equal(Corpus[2].MessageId, parsed.MessageId);
        await Assert.ThrowsAsync<ImapMessageNotFoundException>(async () => await client.MimeMessage("INBOX", 999).FirstAsync());
    }

    [DovecotFact]
    public async Task MessageBatches_DisposedMidFetch_ReturnsTheLeaseAndNextCallWorks()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, "INBOX", new CorpusGenerator(1).GenerateSmall(3000));
        await using var client = SandboxAccounts.Client(fixture.Server, user, maxConnections: 1);
        var firstBatch = new TaskCompletionSource();

        var subscription = client.MessageBatches("INBOX", new FetchOptions { BatchSize = 50 })
            .Subscribe(_ => firstBatch.TrySetResult());
        await firstBatch.Task.WaitAsync(TimeSpan.FromSeconds(30));
        subscription.Dispose();

        // With one connection allowed, this only completes if the cancelled fetch gave its lease back.
        var count = await client.Messages("INBOX").Count().ToTask().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(3000, count);
        await WaitUntilAsync(() => client.Pool.GetStatistics(client.Account).LeasesInUse == 0);
    }

    [DovecotFact]
    public async Task MessageBatches_ConnectionKilledMidFetch_ResumesAndDeliversEveryMessageExactlyOnce()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, "INBOX", new CorpusGenerator(2).GenerateSmall(3000));
        await using var client = SandboxAccounts.Client(fixture.Server, user);
        var batches = 0;

        var uids = await client.MessageBatches("INBOX", new FetchOptions { BatchSize = 50 })
            .Do(_ =>
            {
                if (Interlocked.Increment(ref batches) == 3)
                {
                    // Kill the server side of the fetching connection between two batches.
                    fixture.Server.RunDoveadmAsync(new[] { "kick", user.Name }).GetAwaiter().GetResult();
                }
            })
            .SelectMany(b => b)
            .Select(m => m.Uid)
            .ToList()
            .ToTask()
            .WaitAsync(TimeSpan.FromSeconds(120));

        Assert.Equal(Enumerable.Range(1, 3000).Select(i => (uint)i), uids);
        Assert.True(fixture.Server.CountLoginAttempts(user.Name) >= 2, "the fetch never reconnected, so the kill did not hit it");
    }

    [DovecotFact]
    public async Task Messages_NonAsciiFolder_RoundTrips()
    {
        var user = await fixture.CreateUserAsync();
        await using var client = SandboxAccounts.Client(fixture.Server, user);
        var message = new MimeMessage(new[] { new MailboxAddress("Jürgen", "j@example.com") }, new[] { new MailboxAddress("Åsa", "a@example.com") }, "Grüße aus 日本", new TextPart("plain") { Text = "Hallo" });

        var uid = await client.Append(SandboxFolders.NonAsciiJapanese, message).FirstAsync();
        var fetched = await client.GetMessagesAsync(SandboxFolders.NonAsciiJapanese);

        Assert.Equal(uid, Assert.Single(fetched).Uid);
        Assert.Equal("Grüße aus 日本", fetched[0].Subject);
        Assert.Equal("Jürgen", fetched[0].FromName);
        Assert.Equal(SandboxFolders.NonAsciiJapanese, fetched[0].Folder);
    }

    [Fact]
    public void FetchOptions_BadValues_ThrowNamingTheProperty()
    {
        Assert.Equal("BatchSize", Assert.Throws<ArgumentOutOfRangeException>(() => new FetchOptions { BatchSize = 0 }).ParamName);
        Assert.Equal("Uids", Assert.Throws<ArgumentOutOfRangeException>(() => new FetchOptions { Uids = new uint[] { 1, 0 } }).ParamName);
    }

    private static long CrlfSize(ReadOnlySpan<byte> content)
    {
        long size = content.Length;
        for (var i = 0; i < content.Length; i++)
        {
            if (content[i] == (byte)'\n' && (i == 0 || content[i - 1] != (byte)'\r'))
            {
                size++;
            }
        }

        return size;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition());
    }
}
