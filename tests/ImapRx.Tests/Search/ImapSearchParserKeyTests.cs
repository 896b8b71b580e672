using ImapRx.Search;
using MailKit.Search;
using static ImapRx.Tests.Search.SearchTestHelpers;

namespace ImapRx.Tests.Search;

public class ImapSearchParserKeyTests
{
    [Theory]
    [InlineData("ALL", SearchTerm.All)]
    [InlineData("ANSWERED", SearchTerm.Answered)]
    [InlineData("DELETED", SearchTerm.Deleted)]
    [InlineData("DRAFT", SearchTerm.Draft)]
    [InlineData("FLAGGED", SearchTerm.Flagged)]
    [InlineData("NEW", SearchTerm.New)]
    [InlineData("OLD", SearchTerm.NotRecent)]
    [InlineData("RECENT", SearchTerm.Recent)]
    [InlineData("SEEN", SearchTerm.Seen)]
    [InlineData("UNANSWERED", SearchTerm.NotAnswered)]
    [InlineData("UNDELETED", SearchTerm.NotDeleted)]
    [InlineData("UNDRAFT", SearchTerm.NotDraft)]
    [InlineData("UNFLAGGED", SearchTerm.NotFlagged)]
    [InlineData("UNSEEN", SearchTerm.NotSeen)]
    [InlineData("SAVEDATESUPPORTED", SearchTerm.SaveDateSupported)]
    public void Parse_FlagKey_GivesThatTerm(string key, SearchTerm term)
    {
        Assert.Equal(term, ParseQuery(key).Term);
        Assert.Equal(term, ParseQuery(key.ToLowerInvariant()).Term);
    }

    [Theory]
    [InlineData("FROM", SearchTerm.FromContains)]
    [InlineData("TO", SearchTerm.ToContains)]
    [InlineData("CC", SearchTerm.CcContains)]
    [InlineData("BCC", SearchTerm.BccContains)]
    [InlineData("SUBJECT", SearchTerm.SubjectContains)]
    [InlineData("BODY", SearchTerm.BodyContains)]
    [InlineData("TEXT", SearchTerm.MessageContains)]
    public void Parse_TextKeyWithQuotedString_GivesTextQueryWithThatText(string key, SearchTerm term)
    {
        var query = As<TextSearchQuery>(ParseQuery($"{key} \"quarterly report\""));

        Assert.Equal(term, query.Term);
        Assert.Equal("quarterly report", query.Text);
    }

    [Theory]
    [InlineData("FROM", SearchTerm.FromContains)]
    [InlineData("SUBJECT", SearchTerm.SubjectContains)]
    public void Parse_TextKeyWithAtom_GivesTextQueryWithThatAtom(string key, SearchTerm term)
    {
        var query = As<TextSearchQuery>(ParseQuery($"{key} sender@example.com"));

        Assert.Equal(term, query.Term);
        Assert.Equal("sender@example.com", query.Text);
    }

    [Theory]
    [InlineData("BEFORE", SearchTerm.DeliveredBefore)]
    [InlineData("ON", SearchTerm.DeliveredOn)]
    [InlineData("SINCE", SearchTerm.DeliveredAfter)]
    [InlineData("SENTBEFORE", SearchTerm.SentBefore)]
    [InlineData("SENTON", SearchTerm.SentOn)]
    [InlineData("SENTSINCE", SearchTerm.SentSince)]
    [InlineData("SAVEDBEFORE", SearchTerm.SavedBefore)]
    [InlineData("SAVEDON", SearchTerm.SavedOn)]
    [InlineData("SAVEDSINCE", SearchTerm.SavedSince)]
    public void Parse_DateKey_GivesDateQueryWithThatDay(string key, SearchTerm term)
    {
        var query = As<DateSearchQuery>(ParseQuery($"{key} 5-Mar-2026"));

        Assert.Equal(term, query.Term);
        Assert.Equal(new DateTime(2026, 3, 5), query.Date);
        Assert.Equal(DateTimeKind.Unspecified, query.Date.Kind);
    }

    [Theory]
    [InlineData("01-Jan-2026", 2026, 1, 1)]
    [InlineData("1-jan-2026", 2026, 1, 1)]
    [InlineData("\"31-DEC-1999\"", 1999, 12, 31)]
    [InlineData("29-Feb-2024", 2024, 2, 29)]
    public void Parse_DateForms_AreAccepted(string date, int year, int month, int day)
    {
        var query = As<DateSearchQuery>(ParseQuery("SINCE " + date));

        Assert.Equal(new DateTime(year, month, day), query.Date);
    }

    [Theory]
    [InlineData("LARGER 1024", SearchTerm.LargerThan, 1024UL)]
    [InlineData("SMALLER 0", SearchTerm.SmallerThan, 0UL)]
    [InlineData("LARGER 9223372036854775807", SearchTerm.LargerThan, 9223372036854775807UL)]
    [InlineData("YOUNGER 3600", SearchTerm.Younger, 3600UL)]
    [InlineData("OLDER 4294967295", SearchTerm.Older, 4294967295UL)]
    [InlineData("MODSEQ 620162338", SearchTerm.ModSeq, 620162338UL)]
    [InlineData("MODSEQ 0", SearchTerm.ModSeq, 0UL)]
    public void Parse_NumericKey_GivesNumericQueryWithThatValue(string criteria, SearchTerm term, ulong value)
    {
        var query = As<NumericSearchQuery>(ParseQuery(criteria));

        Assert.Equal(term, query.Term);
        Assert.Equal(value, query.Value);
    }

    [Fact]
    public void Parse_Header_GivesFieldAndValue()
    {
        var query = As<HeaderSearchQuery>(ParseQuery("HEADER X-Mailer \"Mutt 2.2\""));

        Assert.Equal("X-Mailer", query.Field);
        Assert.Equal("Mutt 2.2", query.Value);
    }

    [Fact]
    public void Parse_HeaderWithEmptyValue_MeansTheHeaderIsPresent()
    {
        var query = As<HeaderSearchQuery>(ParseQuery("header \"List-Id\" \"\""));

        Assert.Equal("List-Id", query.Field);
        Assert.Equal(string.Empty, query.Value);
    }

    [Theory]
    [InlineData("KEYWORD $Important", SearchTerm.Keyword, "$Important")]
    [InlineData("UNKEYWORD NonJunk", SearchTerm.NotKeyword, "NonJunk")]
    [InlineData("keyword \"$Label1\"", SearchTerm.Keyword, "$Label1")]
    public void Parse_KeywordKey_GivesKeywordQuery(string criteria, SearchTerm term, string keyword)
    {
        var query = As<TextSearchQuery>(ParseQuery(criteria));

        Assert.Equal(term, query.Term);
        Assert.Equal(keyword, query.Text);
    }

    [Fact]
    public void Parse_Not_GivesUnaryNotAroundTheKey()
    {
        var query = As<UnarySearchQuery>(ParseQuery("NOT DELETED"));

        Assert.Equal(SearchTerm.Not, query.Term);
        Assert.Equal(SearchTerm.Deleted, query.Operand.Term);
    }

    [Fact]
    public void Parse_Or_GivesBinaryOrOfBothKeys()
    {
        var query = As<BinarySearchQuery>(ParseQuery("OR FROM alice TO bob"));

        Assert.Equal(SearchTerm.Or, query.Term);
        Assert.Equal("alice", As<TextSearchQuery>(query.Left).Text);
        Assert.Equal(SearchTerm.ToContains, query.Right.Term);
        Assert.Equal("bob", As<TextSearchQuery>(query.Right).Text);
    }

    [Fact]
    public void Parse_Fuzzy_GivesUnaryFuzzyAroundTheKey()
    {
        var query = As<UnarySearchQuery>(ParseQuery("FUZZY SUBJECT report"));

        Assert.Equal(SearchTerm.Fuzzy, query.Term);
        Assert.Equal(SearchTerm.SubjectContains, query.Operand.Term);
    }

    [Fact]
    public void Parse_Uid_GivesUidQuery()
    {
        var query = As<UidSearchQuery>(ParseQuery("UID 42"));

        Assert.Equal(SearchTerm.Uid, query.Term);
        Assert.Equal(new[] { 42u }, query.Uids.Select(u => u.Id));
    }

    [Theory]
    [InlineData("UNSEEN")]
    [InlineData("FROM \"sender@example.com\"")]
    [InlineData("BEFORE 01-Jan-2026")]
    [InlineData("FROM \"sender@example.com\" UNSEEN")]
    public void Parse_SpecExamples_AreAcceptedWithoutResolution(string criteria)
    {
        var parsed = ImapSearchParser.Parse(criteria);

        Assert.False(parsed.RequiresResolution);
        Assert.NotNull(parsed.Query);
    }

    [Fact]
    public void Parse_SpecCombination_GivesAndOfFromAndUnseen()
    {
        var keys = Conjuncts(ParseQuery("FROM \"sender@example.com\" UNSEEN"));

        Assert.Equal(2, keys.Count);
        Assert.Equal("sender@example.com", As<TextSearchQuery>(keys[0]).Text);
        Assert.Equal(SearchTerm.NotSeen, keys[1].Term);
    }
}
