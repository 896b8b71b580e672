using System.Net;
using ImapRx.Search;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;

namespace ImapRx.Tests.Search;

/// <summary>
/// What MailKit actually writes for parsed queries, captured by an in-memory scripted server:
/// the proof that quoting is MailKit's job and comes out right.
/// </summary>
public class ImapSearchWireFormatTests
{
    [Theory]
    [InlineData("FROM \"sender@example.com\" UNSEEN", "UID SEARCH FROM sender@example.com UNSEEN")]
    [InlineData("BEFORE 01-Jan-2026", "UID SEARCH BEFORE 1-Jan-2026")]
    [InlineData("SUBJECT \"a \\\"quoted\\\" word\"", "UID SEARCH SUBJECT \"a \\\"quoted\\\" word\"")]
    [InlineData("SUBJECT \"back\\\\slash\"", "UID SEARCH SUBJECT \"back\\\\slash\"")]
    [InlineData("SUBJECT \"x A1 DELETE INBOX\"", "UID SEARCH SUBJECT \"x A1 DELETE INBOX\"")]
    [InlineData("OR (FROM alice UNSEEN) FLAGGED", "UID SEARCH OR (FROM alice UNSEEN) FLAGGED")]
    [InlineData("NOT (SEEN FLAGGED)", "UID SEARCH NOT (SEEN FLAGGED)")]
    [InlineData("HEADER X-Spam-Flag \"\"", "UID SEARCH HEADER X-Spam-Flag \"\"")]
    [InlineData("KEYWORD $Important", "UID SEARCH KEYWORD $Important")]
    [InlineData("UID 1:5,7,10:*", "UID SEARCH UID 1:5,7,10:*")]
    [InlineData("UID *", "UID SEARCH UID 4294967295:*")]
    [InlineData("UID 1:5,*", "UID SEARCH OR UID 1:5 UID 4294967295:*")]
    [InlineData("LARGER 5000000000", "UID SEARCH LARGER 5000000000")]
    [InlineData("YOUNGER 3600 SENTSINCE 9-Feb-2026", "UID SEARCH YOUNGER 3600 SENTSINCE 9-Feb-2026")]
    public void Search_ParsedQuery_IsWrittenAsOneCorrectlyQuotedCommand(string criteria, string expected)
    {
        var (commands, searches) = RunSearch(ImapSearchParser.Parse(criteria).Query);

        Assert.Equal(expected, StripTag(Assert.Single(searches)));
        Assert.DoesNotContain(commands, c => c.Contains("DELETE INBOX", StringComparison.Ordinal) && !c.Contains("SEARCH", StringComparison.Ordinal));
    }

    [Fact]
    public void Search_NonAsciiText_IsSentWithCharsetUtf8()
    {
        var (_, searches) = RunSearch(ImapSearchParser.Parse("SUBJECT \"Grüße\"").Query);

        var search = StripTag(Assert.Single(searches));
        Assert.StartsWith("UID SEARCH CHARSET UTF-8 SUBJECT", search);
        Assert.Contains("Grüße", search);
    }

    [Fact]
    public void Search_ResolvedSequenceSets_AreWrittenAsUidSets()
    {
        var parsed = ImapSearchParser.Parse("OR 2:3 FLAGGED 9");
        var query = parsed.Resolve(set => set.ToString() == "2:3"
            ? new UniqueIdRange(new UniqueId(20), new UniqueId(30))
            : Array.Empty<UniqueId>());

        var (_, searches) = RunSearch(query);

        Assert.Equal("UID SEARCH OR UID 20:30 FLAGGED NOT ALL", StripTag(Assert.Single(searches)));
    }

    private static (List<string> Commands, List<string> Searches) RunSearch(SearchQuery query)
    {
        var stream = new ScriptedImapStream();
        using var client = new ImapClient();
        client.Connect(stream, "scripted.example", 143, SecureSocketOptions.None);
        client.Authenticate(new NetworkCredential("user", "not-a-secret"));
        client.Inbox.Open(FolderAccess.ReadOnly);

        client.Inbox.Search(query);

        var searches = stream.Commands.Where(c => c.Contains(" SEARCH ", StringComparison.Ordinal)).ToList();
        return (stream.Commands, searches);
    }

    private static string StripTag(string command) => command.Substring(command.IndexOf(' ') + 1);
}
