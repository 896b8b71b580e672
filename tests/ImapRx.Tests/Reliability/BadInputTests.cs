using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using ImapRx.Fetching;
using ImapRx.Model;
using ImapRx.Operations;
using ImapRx.Sandbox.Server;
using ImapRx.Search;
using ImapRx.Tests.Server;
using MailKit.Search;
using MimeKit;

namespace ImapRx.Tests.Reliability;

/// <summary>
/// Hostile and broken input, end to end against the server: each gets a clear typed error (or a best-effort
/// result), never a crash of the other messages' stream, a corrupted pool or lost data.
/// </summary>
[Collection(DovecotWatchCollection.Name)]
public sealed class BadInputTests(DovecotFixture fixture)
{
    public static readonly string[] HostileSearches =
    {
        "SUBJECT \"unterminated",
        "(SEEN",
        "SEEN)",
        "((((SEEN)))",
        "FOO BAR",
        "SUBJECT \"x\r\nA1 DELETE INBOX\"",
        "SUBJECT x\r\nA1 DELETE INBOX",
        "\r\nA1 DELETE INBOX",
        "SUBJECT \"x\" DELETE INBOX",
        "SUBJECT {5}\r\nhello",
        "SUBJECT \"x\\\"\r\nA2 LOGOUT\"",
        "OR SEEN",
        "NOT",
        "HEADER",
        "HEADER \"X-Test\"",
        "UID 0",
        "UID 4294967296",
        "UID 1:*:2",
        "LARGER -1",
        "LARGER 99999999999999999999",
        "SINCE 31-Feb-2026",
        "SINCE yesterday",
        "KEYWORD \\Seen",
        "KEYWORD (x)",
        "\0",
        "SUBJECT \"\0\"",
        new string('(', 5_000) + "SEEN" + new string(')', 5_000),
        "SUBJECT \"" + new string('a', 100_000) + "\"",
        "ALL",
        "SUBJECT \"Entwürfe 日本語\"",
    };

    public static readonly string[] BadFolderNames =
    {
        "bad\r\nname",
        "bad\nname",
        "INBOX\0",
        "a\"b",
        "*",
        "%",
        "INBOX*",
        "INB%",
        "Nope/Missing",
        "\"INBOX\"",
        "INBOX\" \"*",
        new string('x', 5_000),
        "../INBOX",
        "",
    };

    [DovecotFact]
    public async Task Search_HostileStrings_ClearErrorOrResult_InboxAndPoolSurvive()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, "INBOX", new CorpusGenerator(90).GenerateSmall(20));
        await using var client = SandboxAccounts.Client(fixture.Server, user, maxConnections: 2);
        var refused = 0;
        var serverRefused = 0;
        var ran = 0;
        foreach (var criteria in HostileSearches)
        {
            try
            {
                var stream = client.Search("INBOX", criteria); // the parse happens here, at call time
                await stream.ToList().ToTask().WaitAsync(TimeSpan.FromSeconds(30));
                ran++;
            }
            catch (ImapSearchSyntaxException ex)
            {
                Assert.False(string.IsNullOrWhiteSpace(ex.Message), Show(criteria));
                refused++;
            }
            catch (ImapCommandFailedException ex) when (ex.IsBad)
            {
                // Well-formed for us, refused by the server (Dovecot: "Too long argument"): a clear, typed error.
                Assert.Contains("Search in 'INBOX'", ex.Message, StringComparison.Ordinal);
                Assert.False(ex.BreaksConnection);
                serverRefused++;
            }
        }

        // Typed queries go to the server as literals: a line break in a value cannot end the command.
        Assert.Empty(await client.Search("INBOX", SearchQuery.SubjectContains("x\r\nA1 DELETE INBOX")).ToList());
        Assert.Empty(await client.Search("INBOX", SearchQuery.HeaderContains("X-Test", "\r\nA1 DELETE INBOX")).ToList());

        Assert.Equal(20, await client.Search("INBOX", SearchQuery.All).Count());
        Assert.Contains(await client.Folders().ToList(), f => f.FullName == "INBOX");
        Assert.Equal(0, client.Pool.GetStatistics(client.Account).LeasesInUse);
        Assert.True(refused > 15 && ran >= 2, $"{refused} refused, {serverRefused} refused by the server, {ran} ran");
        ReliabilityFigures.Add("hostile search strings tried", HostileSearches.Length + 2);
    }

    [DovecotFact]
    public async Task Folders_BadNames_ArgumentErrorAtCallTimeOrFolderNotFound_NothingCreatedOrTouched()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, "INBOX", new CorpusGenerator(91).GenerateSmall(5));
        await using var client = SandboxAccounts.Client(fixture.Server, user, maxConnections: 2);
        var before = (await client.Folders().ToList()).Select(f => f.FullName).OrderBy(n => n).ToList();
        var seenBefore = await client.Search("INBOX", "SEEN").Count();
        foreach (var name in BadFolderNames)
        {
            foreach (var operation in new Func<IObservable<object>>[]
            {
                () => client.Folder(name),
                () => client.Messages(name),
                () => client.Search(name, "ALL").Select(u => (object)u),
                () => client.StoreFlags(name, new uint[] { 1 }, FlagChange.MarkRead).Select(u => (object)u),
                () => client.Copy("INBOX", new uint[] { 1 }, name),
            })
            {
                try
                {
                    await operation().ToList().ToTask().WaitAsync(TimeSpan.FromSeconds(30));
                    Assert.Fail($"{Show(name)} was accepted as a folder name");
                }
                catch (ArgumentException ex)
                {
                    Assert.Contains("folder", ex.Message + ex.ParamName, StringComparison.OrdinalIgnoreCase);
                }
                catch (ImapFolderNotFoundException ex)
                {
                    Assert.Contains("not", ex.Message, StringComparison.OrdinalIgnoreCase);
                }
            }
        }

        var after = (await client.Folders().ToList()).Select(f => f.FullName).OrderBy(n => n).ToList();
        Assert.Equal(before, after);
        Assert.Equal(5, (await client.Folder("INBOX")).TotalCount);
        Assert.Equal(seenBefore, await client.Search("INBOX", "SEEN").Count()); // no bad call marked anything read
        Assert.Equal(0, client.Pool.GetStatistics(client.Account).LeasesInUse);
        ReliabilityFigures.Add("bad folder names tried (x5 operations)", BadFolderNames.Length);
    }

    [DovecotFact]
    public async Task Uids_ZeroOrBeyondUidNext_ThrowAtCallTimeOrReportMissing_NothingChanges()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, "INBOX", new CorpusGenerator(92) { MalformedInterval = 0 }.GenerateSmall(5));
        await using var client = SandboxAccounts.Client(fixture.Server, user, maxConnections: 2);
        var beyond = 999_999u;

        Assert.Throws<ArgumentOutOfRangeException>(() => client.MimeMessage("INBOX", 0));
        Assert.ThrowsAny<ArgumentException>(() => client.StoreFlags("INBOX", new uint[] { 0 }, FlagChange.MarkRead));
        Assert.ThrowsAny<ArgumentException>(() => client.Delete("INBOX", new uint[] { 0 }));
        Assert.ThrowsAny<ArgumentException>(() => new FetchOptions { Uids = new uint[] { 1, 0 } });
        await Assert.ThrowsAsync<ImapMessageNotFoundException>(async () => await client.MimeMessage("INBOX", beyond));
        await Assert.ThrowsAsync<ImapMessageNotFoundException>(async () => await client.SaveMessage("INBOX", beyond, Stream.Null));
        Assert.Empty(await client.Messages("INBOX", new FetchOptions { Uids = new[] { beyond } }).ToList());
        await client.StoreFlags("INBOX", new[] { beyond }, FlagChange.AddStar).DefaultIfEmpty();
        await client.Delete("INBOX", new[] { beyond }).DefaultIfEmpty();
        Assert.Empty(await client.Copy("INBOX", new[] { beyond }, SandboxFolders.Archive));

        var messages = await client.Messages("INBOX").ToList();
        Assert.Equal(5, messages.Count);
        Assert.Equal(0, (await client.Folder(SandboxFolders.Archive)).TotalCount);
        Assert.Equal(0, client.Pool.GetStatistics(client.Account).LeasesInUse);
        ReliabilityFigures.Add("bad UIDs tried", 10);
    }

    [DovecotFact]
    public async Task Messages_MalformedAndHugeMessagesOnTheServer_EveryMessageStreamedAndParsedBestEffort()
    {
        var user = await fixture.CreateUserAsync();
        var corpus = new CorpusGenerator(93).Generate(60).ToList(); // every 20th is malformed: broken MIME, raw 8-bit headers, no Date
        await new MaildirWriter(fixture.Server).WriteAsync(user, "INBOX", corpus);
        await using var other = await SandboxClient.ConnectAsync(fixture.Server, user);
        var huge = new MimeMessage { Subject = "ten megabytes" };
        huge.From.Add(new MailboxAddress("Big", "big@example.com"));
        huge.To.Add(new MailboxAddress("Me", "me@example.com"));
        huge.Body = new Multipart("mixed")
        {
            new TextPart("plain") { Text = "see attachment" },
            new MimePart("application", "octet-stream") { FileName = "big.bin", Content = new MimeContent(new MemoryStream(Enumerable.Range(0, 10 * 1024 * 1024).Select(i => (byte)(i * 7)).ToArray())) },
        };
        var hugeUid = (await other.AppendAsync("INBOX", huge)).Id;
        var garbage = MimeMessage.Load(new MemoryStream("Subject: broken\r\nContent-Type: multipart/mixed\r\nDate: not a date\r\nFrom: <<<>>>\r\n\r\n--nowhere\r\n\u00ff\u00fe\u0001 body"u8.ToArray()));
        var garbageUid = (await other.AppendAsync("INBOX", garbage)).Id;
        await using var client = SandboxAccounts.Client(fixture.Server, user, maxConnections: 2);

        var summaries = await client.Messages("INBOX", new FetchOptions { Bodies = BodyFetchMode.TextAndHtml }).ToList();
        Assert.Equal(62, summaries.Count);
        Assert.Equal(Enumerable.Range(1, 60).Select(i => (uint)i).Append(hugeUid).Append(garbageUid), summaries.Select(s => s.Uid));
        foreach (var malformed in corpus.Where(c => c.Malformation != CorpusMalformation.None))
        {
            var summary = summaries[malformed.Index];
            Assert.Equal(malformed.Subject, summary.Subject);
        }

        foreach (var summary in summaries)
        {
            var parsed = await client.MimeMessage("INBOX", summary.Uid);
            Assert.NotNull(parsed);
        }

        using var saved = new MemoryStream();
        var written = await client.SaveMessage("INBOX", hugeUid, saved);
        Assert.Equal(summaries.Single(s => s.Uid == hugeUid).Size, written);
        Assert.True(written > 10 * 1024 * 1024);
        Assert.DoesNotContain(hugeUid, await client.Search("INBOX", "SEEN").ToList()); // saving is not reading
        ReliabilityFigures.Add("malformed or huge messages streamed", corpus.Count(c => c.Malformation != CorpusMalformation.None) + 2);
        ReliabilityFigures.Add("messages checked (bad input)", summaries.Count);
    }

    private static string Show(string value) => value.Length > 60 ? value[..60] + "..." : value.Replace("\r", "\\r").Replace("\n", "\\n");
}
