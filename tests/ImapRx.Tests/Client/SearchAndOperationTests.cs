using System.Reactive.Linq;
using ImapRx.Operations;
using ImapRx.Sandbox.Server;
using ImapRx.Search;
using ImapRx.Tests.Server;
using MailKit;
using MimeKit;

namespace ImapRx.Tests.Client;

[Collection(DovecotCollection.Name)]
public sealed class SearchAndOperationTests(DovecotFixture fixture)
{
    private static readonly DateTimeOffset Day1 = new(2026, 1, 10, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Six hand-made messages whose expected matches are obvious for every key.</summary>
    private async Task<SandboxUser> UserWithKnownMessagesAsync()
    {
        var user = await fixture.CreateUserAsync();
        await using var other = await SandboxClient.ConnectAsync(fixture.Server, user);
        async Task Add(string from, string to, string cc, string subject, string body, MessageFlags flags, int day, int padding = 0)
        {
            var message = new MimeMessage(new[] { MailboxAddress.Parse(from) }, new[] { MailboxAddress.Parse(to) }, subject, new TextPart("plain") { Text = body + new string('x', padding) });
            message.Cc.Add(MailboxAddress.Parse(cc));
            message.Date = Day1.AddDays(day);
            message.Headers.Add("X-Tag", "tag" + day);
            if (day == 3)
            {
                message.Bcc.Add(MailboxAddress.Parse("hidden@example.com"));
            }

            await other.AppendAsync("INBOX", message, flags);
        }

        await Add("john@example.com", "me@example.com", "cc1@example.com", "Quarterly report", "numbers inside", MessageFlags.Seen, 0);
        await Add("ann@example.com", "me@example.com", "cc2@example.com", "Lunch?", "tacos today", MessageFlags.None, 1);
        await Add("john@example.com", "team@example.com", "cc1@example.com", "Report draft", "see attached numbers", MessageFlags.Flagged, 2, 5000);
        await Add("bob@example.com", "me@example.com", "cc3@example.com", "Invoice", "pay now", MessageFlags.Answered | MessageFlags.Seen, 3);
        await Add("ann@example.com", "team@example.com", "cc2@example.com", "Old thread", "tacos again", MessageFlags.Deleted, 4);
        await Add("carl@example.com", "me@example.com", "cc3@example.com", "Réunion à 10h", "café", MessageFlags.Seen | MessageFlags.Flagged, 5);
        return user;
    }

    [DovecotTheory]
    [InlineData("ALL", new uint[] { 1, 2, 3, 4, 5, 6 })]
    [InlineData("UNSEEN", new uint[] { 2, 3, 5 })]
    [InlineData("SEEN", new uint[] { 1, 4, 6 })]
    [InlineData("FLAGGED", new uint[] { 3, 6 })]
    [InlineData("UNFLAGGED", new uint[] { 1, 2, 4, 5 })]
    [InlineData("ANSWERED", new uint[] { 4 })]
    [InlineData("DELETED", new uint[] { 5 })]
    [InlineData("FROM \"john@example.com\"", new uint[] { 1, 3 })]
    [InlineData("TO team@example.com", new uint[] { 3, 5 })]
    [InlineData("CC cc3@example.com", new uint[] { 4, 6 })]
    [InlineData("BCC hidden@example.com", new uint[] { 4 })]
    [InlineData("UNANSWERED", new uint[] { 1, 2, 3, 5, 6 })]
    [InlineData("UNDELETED", new uint[] { 1, 2, 3, 4, 6 })]
    [InlineData("DRAFT", new uint[] { })]
    [InlineData("UNDRAFT", new uint[] { 1, 2, 3, 4, 5, 6 })]
    [InlineData("UNKEYWORD $Label1", new uint[] { 1, 2, 3, 4, 5, 6 })]
    [InlineData("NOT (FROM ann@example.com OR SEEN FLAGGED)", new uint[] { 1, 2, 3, 4, 5, 6 })]
    [InlineData("NOT (FROM john@example.com OR SEEN FLAGGED)", new uint[] { 2, 4, 5, 6 })]
    [InlineData("SUBJECT report", new uint[] { 1, 3 })]
    [InlineData("SUBJECT \"Réunion\"", new uint[] { 6 })]
    [InlineData("BODY tacos", new uint[] { 2, 5 })]
    [InlineData("TEXT numbers", new uint[] { 1, 3 })]
    [InlineData("HEADER X-Tag tag3", new uint[] { 4 })]
    [InlineData("FROM \"john@example.com\" UNSEEN", new uint[] { 3 })]
    [InlineData("OR FROM bob@example.com FLAGGED", new uint[] { 3, 4, 6 })]
    [InlineData("NOT SEEN NOT DELETED", new uint[] { 2, 3 })]
    [InlineData("(OR ANSWERED DELETED) SEEN", new uint[] { 4 })]
    [InlineData("LARGER 4000", new uint[] { 3 })]
    [InlineData("SMALLER 4000", new uint[] { 1, 2, 4, 5, 6 })]
    [InlineData("SENTBEFORE 12-Jan-2026", new uint[] { 1, 2 })]
    [InlineData("SENTON 13-Jan-2026", new uint[] { 4 })]
    [InlineData("SENTSINCE 14-Jan-2026", new uint[] { 5, 6 })]
    [InlineData("UID 2:4", new uint[] { 2, 3, 4 })]
    [InlineData("UID 5:*", new uint[] { 5, 6 })]
    [InlineData("2:3", new uint[] { 2, 3 })]
    [InlineData("OR 1 6", new uint[] { 1, 6 })]
    [InlineData("4:*", new uint[] { 4, 5, 6 })]
    [InlineData("YOUNGER 3600", new uint[] { 1, 2, 3, 4, 5, 6 })]
    [InlineData("OLDER 3600", new uint[] { })]
    [InlineData("MODSEQ 1", new uint[] { 1, 2, 3, 4, 5, 6 })]
    [InlineData("KEYWORD $Nothing", new uint[] { })]
    public async Task Search_EveryKey_MatchesTheExpectedMessages(string criteria, uint[] expected)
    {
        var user = await UserWithKnownMessagesAsync();
        await using var client = SandboxAccounts.Client(fixture.Server, user);

        var uids = await client.SearchAsync("INBOX", criteria);

        Assert.Equal(expected, uids);
    }

    [DovecotFact]
    public async Task Search_DateKeysAgainstInternalDate_UseTheServersReceivedDate()
    {
        var user = await UserWithKnownMessagesAsync();
        await using var client = SandboxAccounts.Client(fixture.Server, user);
        var today = DateTime.UtcNow.ToString("d-MMM-yyyy", System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(6, (await client.SearchAsync("INBOX", "SINCE 1-Jan-2020")).Count);
        Assert.Empty(await client.SearchAsync("INBOX", "BEFORE 1-Jan-2020"));
        Assert.Equal(6, (await client.SearchAsync("INBOX", "ON " + today)).Count);
    }

    [DovecotFact]
    public async Task Search_SubjectWithInjectedCommand_IsRefusedAndInboxSurvives()
    {
        var user = await UserWithKnownMessagesAsync();
        await using var client = SandboxAccounts.Client(fixture.Server, user);

        var error = Assert.Throws<ImapSearchSyntaxException>(() => client.Search("INBOX", "SUBJECT \"x\r\nA1 DELETE INBOX\""));
        Assert.Contains("line break", error.Message, StringComparison.OrdinalIgnoreCase);

        // A typed query with CR/LF in a value goes out as a literal, never as a new command.
        var typed = await client.Search("INBOX", MailKit.Search.SearchQuery.SubjectContains("x\r\nA1 DELETE INBOX")).ToList();
        Assert.Empty(typed);
        Assert.Equal(6, (await client.GetFolderAsync("INBOX")).TotalCount);
    }

    [Fact]
    public void Search_MalformedString_ThrowsAtCallTimeSayingWhere()
    {
        var client = new ImapRxClient(new ImapRx.Configuration.ImapAccountOptions("127.0.0.1", "u", ImapRx.Configuration.ImapCredential.FromPassword("p")));

        var error = Assert.Throws<ImapSearchSyntaxException>(() => client.Search("INBOX", "FROM \"unterminated"));

        Assert.Equal(5, error.Position);
    }

    [DovecotFact]
    public async Task StoreFlags_SpecShortcuts_ChangeTheServerState()
    {
        var user = await UserWithKnownMessagesAsync();
        await using var client = SandboxAccounts.Client(fixture.Server, user);

        await client.MarkAsReadAsync("INBOX", new uint[] { 2, 3 });
        await client.MarkAsUnreadAsync("INBOX", new uint[] { 1 });
        await client.AddStarAsync("INBOX", new uint[] { 2 });
        await client.RemoveStarAsync("INBOX", new uint[] { 6 });
        await client.StoreFlagsAsync("INBOX", new uint[] { 4 }, new FlagChange(addKeywords: new[] { "$Label1" }));

        Assert.Equal(new uint[] { 2, 3, 4, 6 }, await client.SearchAsync("INBOX", "SEEN"));
        Assert.Equal(new uint[] { 2, 3 }, await client.SearchAsync("INBOX", "FLAGGED"));
        Assert.Equal(new uint[] { 4 }, await client.SearchAsync("INBOX", "KEYWORD $Label1"));
    }

    [DovecotFact]
    public async Task CopyMoveDelete_UidSets_ActOnExactlyThoseMessages()
    {
        var user = await UserWithKnownMessagesAsync();
        await using var client = SandboxAccounts.Client(fixture.Server, user);
        await using var other = await SandboxClient.ConnectAsync(fixture.Server, user);

        var copied = await client.CopyAsync("INBOX", new uint[] { 1, 2 }, SandboxFolders.Archive);
        var moved = await client.MoveAsync("INBOX", new uint[] { 3 }, SandboxFolders.WithSpace);
        await client.DeleteAsync("INBOX", new uint[] { 4 });

        Assert.Equal(new uint[] { 1, 2 }, copied.Keys.OrderBy(k => k));
        Assert.Equal(2, (await other.GetUidsAsync(SandboxFolders.Archive)).Count);
        Assert.Equal(3u, Assert.Single(moved).Key);
        Assert.Single(await other.GetUidsAsync(SandboxFolders.WithSpace));

        // UID 5 was already \Deleted by "another client": a bare EXPUNGE would have removed it too.
        Assert.Equal(new uint[] { 1, 2, 5, 6 }, (await other.GetUidsAsync("INBOX")).Select(u => u.Id));
    }

    [DovecotFact]
    public async Task Operations_BadArguments_ThrowAtCallTime()
    {
        var user = await fixture.CreateUserAsync();
        await using var client = SandboxAccounts.Client(fixture.Server, user);

        Assert.Throws<ArgumentOutOfRangeException>(() => client.StoreFlags("INBOX", new uint[] { 0 }, FlagChange.MarkRead));
        Assert.Throws<ArgumentException>(() => client.Delete("INBOX", Array.Empty<uint>()));
        Assert.Throws<ArgumentException>(() => new FlagChange(addKeywords: new[] { "bad keyword" }));
        Assert.Throws<ArgumentException>(() => new FlagChange(add: ImapRx.Model.MailFlags.Seen, remove: ImapRx.Model.MailFlags.Seen));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FlagChange(add: (ImapRx.Model.MailFlags)64));
        Assert.Equal(@"add \Seen, $Label1; remove \Flagged", new FlagChange(ImapRx.Model.MailFlags.Seen, ImapRx.Model.MailFlags.Flagged, new[] { "$Label1" }).ToString());
        await Assert.ThrowsAsync<ImapFolderNotFoundException>(() => client.CopyAsync("INBOX", new uint[] { 1 }, "Missing"));
    }
}
