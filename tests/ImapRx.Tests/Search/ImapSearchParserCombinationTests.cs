using ImapRx.Search;
using MailKit.Search;
using static ImapRx.Tests.Search.SearchTestHelpers;

namespace ImapRx.Tests.Search;

public class ImapSearchParserCombinationTests
{
    [Fact]
    public void Parse_SeveralKeys_AreJoinedByAndInOrder()
    {
        var keys = Conjuncts(ParseQuery("UNSEEN FLAGGED SINCE 1-Jan-2026 SUBJECT x"));

        Assert.Equal(
            new[] { SearchTerm.NotSeen, SearchTerm.Flagged, SearchTerm.DeliveredAfter, SearchTerm.SubjectContains },
            keys.Select(k => k.Term));
    }

    [Fact]
    public void Parse_ThousandsOfKeys_BuildsAShallowAndTree()
    {
        var criteria = string.Join(" ", Enumerable.Repeat("SEEN", 4096));

        var query = ParseQuery(criteria);

        Assert.Equal(4096, Conjuncts(query).Count);
        Assert.True(Depth(query) <= 13, $"depth {Depth(query)}");
    }

    [Fact]
    public void Parse_ExtraWhitespace_IsIgnored()
    {
        var keys = Conjuncts(ParseQuery("  \tUNSEEN    FROM\t \"a\"   "));

        Assert.Equal(new[] { SearchTerm.NotSeen, SearchTerm.FromContains }, keys.Select(k => k.Term));
    }

    [Fact]
    public void Parse_MixedCaseKeys_AreRecognised()
    {
        var keys = Conjuncts(ParseQuery("UnSeen fRoM a sEnTsInCe 1-jAn-2026"));

        Assert.Equal(new[] { SearchTerm.NotSeen, SearchTerm.FromContains, SearchTerm.SentSince }, keys.Select(k => k.Term));
    }

    [Fact]
    public void Parse_Group_GivesAndInsideTheGroup()
    {
        var or = As<BinarySearchQuery>(ParseQuery("OR (FROM alice UNSEEN) FLAGGED"));

        Assert.Equal(SearchTerm.Or, or.Term);
        Assert.Equal(new[] { SearchTerm.FromContains, SearchTerm.NotSeen }, Conjuncts(or.Left).Select(k => k.Term));
        Assert.Equal(SearchTerm.Flagged, or.Right.Term);
    }

    [Fact]
    public void Parse_GroupOfOneKey_IsJustThatKey()
    {
        Assert.Equal(SearchTerm.Seen, ParseQuery("((SEEN))").Term);
    }

    [Fact]
    public void Parse_NestedOrNotAndGroups_KeepTheirStructure()
    {
        var query = As<BinarySearchQuery>(ParseQuery("NOT (OR SEEN (FLAGGED NOT OR DELETED DRAFT)) UNANSWERED"));
        var not = As<UnarySearchQuery>(query.Left);
        var or = As<BinarySearchQuery>(not.Operand);
        var group = Conjuncts(or.Right);
        var innerNot = As<UnarySearchQuery>(group[1]);
        var innerOr = As<BinarySearchQuery>(innerNot.Operand);

        Assert.Equal(SearchTerm.And, query.Term);
        Assert.Equal(SearchTerm.NotAnswered, query.Right.Term);
        Assert.Equal(SearchTerm.Or, or.Term);
        Assert.Equal(SearchTerm.Seen, or.Left.Term);
        Assert.Equal(SearchTerm.Flagged, group[0].Term);
        Assert.Equal(SearchTerm.Or, innerOr.Term);
        Assert.Equal(SearchTerm.Deleted, innerOr.Left.Term);
        Assert.Equal(SearchTerm.Draft, innerOr.Right.Term);
    }

    [Fact]
    public void Parse_OrChain_NestsToTheRight()
    {
        var outer = As<BinarySearchQuery>(ParseQuery("OR SEEN OR FLAGGED DRAFT"));
        var inner = As<BinarySearchQuery>(outer.Right);

        Assert.Equal(SearchTerm.Seen, outer.Left.Term);
        Assert.Equal(SearchTerm.Flagged, inner.Left.Term);
        Assert.Equal(SearchTerm.Draft, inner.Right.Term);
    }

    [Fact]
    public void Parse_KeysWithoutSpacesAroundParentheses_AreSeparated()
    {
        var or = As<BinarySearchQuery>(ParseQuery("OR(SEEN)(FLAGGED)"));

        Assert.Equal(SearchTerm.Seen, or.Left.Term);
        Assert.Equal(SearchTerm.Flagged, or.Right.Term);
    }

    [Theory]
    [InlineData("SUBJECT \"a \\\"quoted\\\" word\"", "a \"quoted\" word")]
    [InlineData("SUBJECT \"back\\\\slash\"", "back\\slash")]
    [InlineData("SUBJECT \"\\\\\\\"\"", "\\\"")]
    [InlineData("SUBJECT \"(not a group) OR NOT\"", "(not a group) OR NOT")]
    [InlineData("SUBJECT \"Grüße aus Köln 日本\"", "Grüße aus Köln 日本")]
    [InlineData("SUBJECT Grüße", "Grüße")]
    [InlineData("SUBJECT \"tab\there\"", "tab\there")]
    [InlineData("SUBJECT 50%*off", "50%*off")]
    public void Parse_QuotedAndAtomStrings_UnescapeToTheIntendedText(string criteria, string text)
    {
        Assert.Equal(text, As<TextSearchQuery>(ParseQuery(criteria)).Text);
    }

    [Fact]
    public void Parse_QuotedStringDirectlyAfterKey_IsTheArgument()
    {
        Assert.Equal("x", As<TextSearchQuery>(ParseQuery("SUBJECT\"x\"")).Text);
    }

    [Fact]
    public void Parse_KeyNameAsArgument_IsText()
    {
        var keys = Conjuncts(ParseQuery("SUBJECT UNSEEN SEEN"));

        Assert.Equal("UNSEEN", As<TextSearchQuery>(keys[0]).Text);
        Assert.Equal(SearchTerm.Seen, keys[1].Term);
    }

    [Theory]
    [InlineData("CHARSET UTF-8 SUBJECT café")]
    [InlineData("charset \"us-ascii\" SUBJECT café")]
    public void Parse_LeadingCharset_IsAcceptedAndLeftToMailKit(string criteria)
    {
        Assert.Equal("café", As<TextSearchQuery>(ParseQuery(criteria)).Text);
    }

    [Fact]
    public void TryParse_WellFormed_ReturnsTrueAndTheQuery()
    {
        Assert.True(ImapSearchParser.TryParse("OR SEEN FLAGGED", out var criteria));
        Assert.Equal(SearchTerm.Or, criteria!.Query.Term);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("OR SEEN")]
    [InlineData("SUBJECT \"x\r\nA1 DELETE INBOX\"")]
    public void TryParse_NullOrMalformed_ReturnsFalseAndNull(string? criteria)
    {
        Assert.False(ImapSearchParser.TryParse(criteria, out var result));
        Assert.Null(result);
    }

    [Fact]
    public void Parse_Null_ThrowsArgumentNullExceptionAtCallTime()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => ImapSearchParser.Parse(null!));

        Assert.Equal("criteria", ex.ParamName);
    }

    [Fact]
    public void Parse_NestingAtTheLimit_IsAccepted()
    {
        var depth = SearchStringParser.MaxDepth;
        var criteria = string.Concat(Enumerable.Repeat("NOT ", depth - 1)) + "(SEEN)";

        Assert.Equal(depth, Depth(ParseQuery(criteria)));
    }
}
