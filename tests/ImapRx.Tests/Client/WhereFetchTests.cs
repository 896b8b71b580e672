using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text.RegularExpressions;
using ImapRx.Fetching;
using ImapRx.Pooling;
using ImapRx.Sandbox.Server;
using ImapRx.Search;
using ImapRx.Tests.Server;
using ImapRx.Tests.Watching;

namespace ImapRx.Tests.Client;

/// <summary>FetchOptions.Where: the search and the fetch of what it found on one lease and one SELECT.</summary>
[Collection(DovecotCollection.Name)]
public sealed class WhereFetchTests(DovecotFixture fixture)
{
    [DovecotFact]
    public async Task Messages_WithWhere_SearchesAndFetchesOnOneConnectionWithOneSelect()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, "INBOX", new CorpusGenerator(31).GenerateSmall(12));
        var wire = new WireLog();
        await using var pool = new ImapConnectionPool(new ImapPoolOptions { ProtocolLog = wire.Open });
        await using var client = new ImapRxClient(SandboxAccounts.For(fixture.Server, user, maxConnections: 3), pool);
        var expected = await client.Search("INBOX", "UID 3:5,9").ToList().ToTask();
        var before = wire.ToString().Length;

        var messages = await client.Messages("INBOX", new FetchOptions { Where = "UID 3:5,9" }).ToList().ToTask();

        var commands = wire.ToString()[before..];
        Assert.Equal(new uint[] { 3, 4, 5, 9 }, expected);
        Assert.Equal(expected, messages.Select(m => m.Uid));
        Assert.Equal(1, Regex.Matches(commands, @"^C: \S+ (SELECT|EXAMINE) ", RegexOptions.Multiline).Count);
        Assert.Equal(1, Regex.Matches(commands, @"^C: \S+ UID SEARCH ", RegexOptions.Multiline).Count);
    }

    [DovecotFact]
    public async Task Messages_WithWhereSinceUidAndLimit_AllThreeApply()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, "INBOX", new CorpusGenerator(32).GenerateSmall(12));
        await using var client = SandboxAccounts.Client(fixture.Server, user);

        var messages = await client.Messages("INBOX", new FetchOptions { Where = "UID 2:11", SinceUid = 4, Limit = 3 }).ToList().ToTask();

        Assert.Equal(new uint[] { 5, 6, 7 }, messages.Select(m => m.Uid));
    }

    [Fact]
    public void Where_MalformedSearchString_ThrowsWhenSetNamingWhereItWentWrong()
    {
        var error = Assert.Throws<ImapSearchSyntaxException>(() => new FetchOptions { Where = "FROM" });

        Assert.Contains("FROM", error.Message, StringComparison.Ordinal);
    }
}
