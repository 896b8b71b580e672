using ImapRx.Search;

namespace ImapRx.Tests.Search;

public class ImapSearchParserAllocationTests
{
    // Bytes are counted, not time: deterministic, and it catches a regex or token list per key.
    [Theory]
    [InlineData("UNSEEN", 256)]
    [InlineData("FROM \"sender@example.com\" UNSEEN", 1024)]
    [InlineData("OR (FROM alice SINCE 1-Feb-2026) NOT (FLAGGED DELETED)", 1536)]
    public void Parse_TypicalStrings_AllocateLittleBeyondTheQueryObjects(string criteria, long budget)
    {
        const int runs = 100;
        ImapSearchParser.Parse(criteria);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < runs; i++)
        {
            ImapSearchParser.Parse(criteria);
        }

        var perParse = (GC.GetAllocatedBytesForCurrentThread() - before) / runs;
        Assert.True(perParse <= budget, $"{perParse} bytes per parse, budget {budget}");
    }
}
