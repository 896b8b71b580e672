using ImapRx.Search;
using static ImapRx.Tests.Search.SearchTestHelpers;

namespace ImapRx.Tests.Search;

public class ImapSearchParserErrorTests
{
    [Fact]
    public void Parse_IsoDate_SaysWhatDateFormWasExpectedAndWhere()
    {
        var ex = ParseError("BEFORE 2026-01-01");

        Assert.Equal("Expected a date like 1-Jan-2026 after BEFORE at position 7, found '2026-01-01'.", ex.Message);
        Assert.Equal(7, ex.Position);
        Assert.Equal("2026-01-01", ex.Token);
        Assert.IsAssignableFrom<FormatException>(ex);
    }

    [Theory]
    [InlineData("BEFORE 32-Jan-2026", "32-Jan-2026", "January 2026 has 31 days.")]
    [InlineData("SINCE 29-Feb-2025", "29-Feb-2025", "February 2025 has 28 days.")]
    [InlineData("ON 0-Mar-2026", "0-Mar-2026", "March 2026 has 31 days.")]
    [InlineData("SENTON 1-Foo-2026", "1-Foo-2026", "The month must be one of Jan")]
    [InlineData("SENTSINCE 1-Jan-0000", "1-Jan-0000", "no year 0000")]
    [InlineData("SENTBEFORE 1-Jan-26", "1-Jan-26", "a date like 1-Jan-2026")]
    [InlineData("SINCE 123-Jan-2026", "123-Jan-2026", "a date like 1-Jan-2026")]
    [InlineData("SINCE \"1-Jan-2026 \"", "\"1-Jan-2026 \"", "a date like 1-Jan-2026")]
    [InlineData("SINCE 1-January-2026", "1-January-2026", "a date like 1-Jan-2026")]
    public void Parse_BadDate_ReportsTheDateAndWhy(string criteria, string token, string reason)
    {
        var ex = ParseError(criteria);

        Assert.Equal(criteria.IndexOf(' ') + 1, ex.Position);
        Assert.Equal(token, ex.Token);
        Assert.Contains(reason, ex.Message);
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("   ", 3)]
    public void Parse_EmptyOrBlank_IsAnErrorNotAll(string criteria, int position)
    {
        var ex = ParseError(criteria);

        Assert.Equal(position, ex.Position);
        Assert.Equal(string.Empty, ex.Token);
        Assert.Contains("Expected a search key", ex.Message);
        Assert.Contains("found the end of the string", ex.Message);
    }

    [Fact]
    public void Parse_UnterminatedQuote_PointsAtTheOpeningQuote()
    {
        var ex = ParseError("UNSEEN SUBJECT \"half done");

        Assert.Equal(15, ex.Position);
        Assert.Contains("closing '\"'", ex.Message);
        Assert.Contains("position 15", ex.Message);
    }

    [Fact]
    public void Parse_UnclosedParenthesis_PointsAtTheOpeningParenthesis()
    {
        var ex = ParseError("OR SEEN (FLAGGED DRAFT");

        Assert.Equal(8, ex.Position);
        Assert.Contains("Expected ')' to close the '(' at position 8", ex.Message);
    }

    [Fact]
    public void Parse_StrayClosingParenthesis_PointsAtIt()
    {
        var ex = ParseError("SEEN) FLAGGED");

        Assert.Equal(4, ex.Position);
        Assert.Equal(")", ex.Token);
        Assert.Contains("no '('", ex.Message);
    }

    [Fact]
    public void Parse_EmptyGroup_ExpectsAKeyInside()
    {
        var ex = ParseError("SEEN ()");

        Assert.Equal(6, ex.Position);
        Assert.Contains("Expected a search key at position 6, found ')'", ex.Message);
    }

    [Theory]
    [InlineData("SUBJET hello", "SUBJECT")]
    [InlineData("unsen", "UNSEEN")]
    [InlineData("FORM alice", "FROM")]
    [InlineData("FLAGED", "FLAGGED")]
    [InlineData("UNREAD", "UNSEEN")]
    [InlineData("starred", "FLAGGED")]
    public void Parse_UnknownKey_SuggestsTheClosestKnownKey(string criteria, string suggestion)
    {
        var ex = ParseError(criteria);

        Assert.Equal(0, ex.Position);
        Assert.Equal(criteria.Split(' ')[0], ex.Token);
        Assert.Contains($"Did you mean {suggestion}?", ex.Message);
    }

    [Fact]
    public void Parse_UnknownKeyFarFromAnyKnownKey_MakesNoSuggestion()
    {
        var ex = ParseError("SEEN xyzzyplugh");

        Assert.Equal(5, ex.Position);
        Assert.DoesNotContain("Did you mean", ex.Message);
    }

    [Fact]
    public void Parse_And_ExplainsThatImapJoinsKeysBySpaces()
    {
        var ex = ParseError("SEEN AND FLAGGED");

        Assert.Equal(5, ex.Position);
        Assert.Contains("IMAP has no AND", ex.Message);
    }

    [Theory]
    [InlineData("FROM", 4, "a string after FROM")]
    [InlineData("SUBJECT )", 8, "a string after SUBJECT")]
    [InlineData("OR SEEN", 7, "a search key")]
    [InlineData("NOT", 3, "a search key")]
    [InlineData("HEADER X-Spam", 13, "a string after HEADER")]
    [InlineData("HEADER", 6, "a header field name")]
    [InlineData("BEFORE", 6, "a date like 1-Jan-2026 after BEFORE")]
    [InlineData("LARGER", 6, "a size in bytes after LARGER")]
    [InlineData("UID", 3, "a UID set")]
    [InlineData("KEYWORD", 7, "a keyword")]
    public void Parse_MissingArgument_SaysWhatWasExpectedAtTheEnd(string criteria, int position, string expected)
    {
        var ex = ParseError(criteria);

        Assert.Equal(position, ex.Position);
        Assert.Contains("Expected " + expected, ex.Message);
    }

    [Theory]
    [InlineData("LARGER abc", 7, "abc", "a size in bytes")]
    [InlineData("LARGER 12kb", 7, "12kb", "a size in bytes")]
    [InlineData("SMALLER -1", 8, "-1", "a size in bytes")]
    [InlineData("LARGER 9223372036854775808", 7, "9223372036854775808", "largest allowed value is 9223372036854775807")]
    [InlineData("YOUNGER 0", 8, "0", "smallest allowed value is 1")]
    [InlineData("OLDER 4294967296", 6, "4294967296", "largest allowed value is 4294967295")]
    [InlineData("MODSEQ x", 7, "x", "a mod-sequence number")]
    public void Parse_BadNumber_ReportsTheNumberAndTheRule(string criteria, int position, string token, string message)
    {
        var ex = ParseError(criteria);

        Assert.Equal(position, ex.Position);
        Assert.Equal(token, ex.Token);
        Assert.Contains(message, ex.Message);
    }

    [Theory]
    [InlineData("UID 0", 4, "0", "UIDs start at 1")]
    [InlineData("UID 007", 4, "007", "without leading zeros")]
    [InlineData("UID 5:", 6, "", "after ':'")]
    [InlineData("UID a:b", 4, "a:b", "Expected a UID set like 1:5,7,10:* after UID")]
    [InlineData("UID 1,,2", 6, ",", "a number or '*'")]
    [InlineData("UID 1,", 6, "", "found the end of the set")]
    [InlineData("UID 1-5", 5, "-", "',' or ':'")]
    [InlineData("UID 1:5:7", 7, ":", "Expected ','")]
    [InlineData("UID 4294967296", 4, "4294967296", "32-bit")]
    [InlineData("0", 0, "0", "Message sequence numbers start at 1")]
    [InlineData("5:", 2, "", "message sequence set '5:'")]
    [InlineData("SEEN 1:x", 7, "x", "a number or '*' after ':'")]
    [InlineData("1:5UNSEEN", 3, "U", "A space must separate a set from the next key")]
    public void Parse_BadSet_PointsAtTheBadPart(string criteria, int position, string token, string message)
    {
        var ex = ParseError(criteria);

        Assert.Equal(position, ex.Position);
        Assert.Equal(token, ex.Token);
        Assert.Contains(message, ex.Message);
    }

    [Theory]
    [InlineData("UNSEEN \"x\"", 7, "A quoted string can only follow a key")]
    [InlineData("ALL ALL ALL garbage", 12, "Expected a search key")]
    [InlineData("SEEN ))", 5, "no '('")]
    public void Parse_TrailingGarbage_IsReportedWhereItStarts(string criteria, int position, string message)
    {
        var ex = ParseError(criteria);

        Assert.Equal(position, ex.Position);
        Assert.Contains(message, ex.Message);
    }

    [Theory]
    [InlineData("SUBJECT \"\"", 8, "non-empty string")]
    [InlineData("SUBJECT \"a\\x\"", 10, "\\\" or \\\\")]
    [InlineData("SUBJECT \"a\\", 10, "\\\" or \\\\")]
    [InlineData("FROM {5}", 5, "literals")]
    [InlineData("KEYWORD \\Seen", 8, "System flags have their own keys")]
    [InlineData("KEYWORD \"two words\"", 8, "a keyword")]
    [InlineData("HEADER \"X Spam\" yes", 7, "a header field name")]
    [InlineData("HEADER Subject: yes", 7, "a header field name")]
    [InlineData("MODSEQ \"/flags/\\\\seen\" all 5", 7, "cannot be expressed with MailKit")]
    [InlineData("CHARSET ISO-8859-1 SEEN", 8, "UTF-8 or US-ASCII")]
    [InlineData("SEEN CHARSET UTF-8", 5, "CHARSET can only come first")]
    [InlineData("CHARSET UTF-8", 13, "Expected a search key")]
    [InlineData("SEEN \u0001", 5, "U+0001")]
    [InlineData("SEEN \u007f", 5, "U+007F")]
    public void Parse_OtherMistakes_AreExplained(string criteria, int position, string message)
    {
        var ex = ParseError(criteria);

        Assert.Equal(position, ex.Position);
        Assert.Contains(message, ex.Message);
    }

    [Theory]
    [InlineData("SUBJECT \"\"", "write HEADER Subject \"\".")]
    [InlineData("CC \"\"", "write HEADER Cc \"\".")]
    [InlineData("BODY \"\"", "write ALL.")]
    public void Parse_EmptyText_SaysWhatToWriteInstead(string criteria, string advice)
    {
        var ex = ParseError(criteria);

        Assert.Contains("MailKit cannot search for an empty string", ex.Message);
        Assert.EndsWith(advice, ex.Message);
    }

    [Fact]
    public void Parse_NestingBeyondTheLimit_IsASyntaxError()
    {
        var depth = SearchStringParser.MaxDepth;
        var criteria = string.Concat(Enumerable.Repeat("NOT ", depth)) + "(SEEN)";

        var ex = ParseError(criteria);

        Assert.Equal(depth * 4, ex.Position);
        Assert.Contains("nested", ex.Message);
    }

    [Fact]
    public void Parse_LongOffendingToken_IsShortenedInTheMessageButKeptWhole()
    {
        var word = new string('Q', 5000);

        var ex = ParseError("SEEN " + word);

        Assert.Equal(word, ex.Token);
        Assert.True(ex.Message.Length < 200, ex.Message);
    }
}
