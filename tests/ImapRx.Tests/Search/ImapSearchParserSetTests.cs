using ImapRx.Search;
using MailKit;
using MailKit.Search;
using static ImapRx.Tests.Search.SearchTestHelpers;

namespace ImapRx.Tests.Search;

public class ImapSearchParserSetTests
{
    // UniqueIdSet.ToString(IList<UniqueId>) is what MailKit's search builder writes after "UID ".
    [Theory]
    [InlineData("UID 1:5,7,10:*", "1:5,7,10:*")]
    [InlineData("UID 42", "42")]
    [InlineData("UID 1:*", "1:*")]
    [InlineData("UID *:10", "10:*")]
    [InlineData("UID 9:3", "9:3")]
    [InlineData("UID 3,2,1", "3,2,1")]
    [InlineData("UID 4294967295", "4294967295")]
    [InlineData("UID 10:*,*", "10:*")]
    public void Parse_UidSet_IsWrittenByMailKitAsMeant(string criteria, string wire)
    {
        var parsed = ImapSearchParser.Parse(criteria);

        Assert.False(parsed.RequiresResolution);
        Assert.Equal(wire, UniqueIdSet.ToString(As<UidSearchQuery>(parsed.Query).Uids));
    }

    [Fact]
    public void Parse_UidSetRange_HoldsEveryUidInIt()
    {
        var uids = As<UidSearchQuery>(ParseQuery("UID 1:5,7")).Uids;

        Assert.Equal(new uint[] { 1, 2, 3, 4, 5, 7 }, uids.Select(u => u.Id));
    }

    [Theory]
    [InlineData("UID *")]
    [InlineData("UID *:*")]
    public void Parse_LoneStarUid_IsWrittenAsARangeSelectingOnlyTheHighestUid(string criteria)
    {
        // "4294967295:*" spans from the highest existing UID up to 2^32-1: exactly the message '*' means.
        var uids = As<UidSearchQuery>(ParseQuery(criteria)).Uids;

        Assert.Equal("4294967295:*", UniqueIdSet.ToString(uids));
    }

    [Fact]
    public void Parse_LoneStarBesideOtherUids_IsAnOrOfBoth()
    {
        var or = As<BinarySearchQuery>(ParseQuery("UID 1:5,*"));

        Assert.Equal(SearchTerm.Or, or.Term);
        Assert.Equal("1:5", UniqueIdSet.ToString(As<UidSearchQuery>(or.Left).Uids));
        Assert.Equal("4294967295:*", UniqueIdSet.ToString(As<UidSearchQuery>(or.Right).Uids));
    }

    [Fact]
    public void Parse_SequenceSet_RequiresResolutionAndListsTheSet()
    {
        var parsed = ImapSearchParser.Parse("1:100 UNSEEN");

        Assert.True(parsed.RequiresResolution);
        Assert.Equal("1:100", Assert.Single(parsed.SequenceSets).ToString());
    }

    [Fact]
    public void Query_WhenSequenceSetsAreUnresolved_ThrowsInvalidOperationNamingTheSet()
    {
        var parsed = ImapSearchParser.Parse("OR 2:4 FLAGGED");

        var ex = Assert.Throws<InvalidOperationException>(() => parsed.Query);

        Assert.Contains("2:4", ex.Message);
        Assert.Contains("Resolve", ex.Message);
    }

    [Theory]
    [InlineData("1:*")]
    [InlineData("*:1")]
    public void Parse_SequenceSetOfEveryMessage_IsAll(string criteria)
    {
        var parsed = ImapSearchParser.Parse(criteria);

        Assert.False(parsed.RequiresResolution);
        Assert.Equal(SearchTerm.All, parsed.Query.Term);
    }

    [Fact]
    public void Resolve_SequenceSets_AreReplacedByTheResolvedUidsInPlace()
    {
        var parsed = ImapSearchParser.Parse("OR 1:3 FLAGGED NOT 7");
        var resolved = new Dictionary<string, IList<UniqueId>>
        {
            ["1:3"] = new UniqueIdSet(new[] { new UniqueId(11), new UniqueId(12), new UniqueId(13) }, SortOrder.Ascending),
            ["7"] = new[] { new UniqueId(70) },
        };

        var query = parsed.Resolve(set => resolved[set.ToString()]);

        var keys = Conjuncts(query);
        var or = As<BinarySearchQuery>(keys[0]);
        Assert.Equal("11:13", UniqueIdSet.ToString(As<UidSearchQuery>(or.Left).Uids));
        Assert.Equal(SearchTerm.Flagged, or.Right.Term);
        var not = As<UnarySearchQuery>(keys[1]);
        Assert.Equal(new uint[] { 70 }, As<UidSearchQuery>(not.Operand).Uids.Select(u => u.Id));
    }

    [Fact]
    public void Resolve_SetMatchingNoMessage_BecomesNotAll()
    {
        var query = ImapSearchParser.Parse("50:60").Resolve(_ => Array.Empty<UniqueId>());

        var not = As<UnarySearchQuery>(query);
        Assert.Equal(SearchTerm.Not, not.Term);
        Assert.Equal(SearchTerm.All, not.Operand.Term);
    }

    [Fact]
    public void Resolve_WithoutSequenceSets_ReturnsTheQueryWithoutCallingTheResolver()
    {
        var parsed = ImapSearchParser.Parse("SEEN");

        var query = parsed.Resolve(_ => throw new InvalidOperationException("must not be called"));

        Assert.Same(parsed.Query, query);
    }

    [Fact]
    public void Resolve_ResolverReturnsNull_ThrowsInvalidOperation()
    {
        var parsed = ImapSearchParser.Parse("1:2");

        Assert.Throws<InvalidOperationException>(() => parsed.Resolve(_ => null!));
    }

    [Fact]
    public void Resolve_NullResolver_ThrowsArgumentNull()
    {
        var parsed = ImapSearchParser.Parse("1:2");

        Assert.Throws<ArgumentNullException>(() => parsed.Resolve(null!));
    }

    [Theory]
    [InlineData("1:5", 10, new[] { 0, 1, 2, 3, 4 })]
    [InlineData("5:1", 10, new[] { 0, 1, 2, 3, 4 })]
    [InlineData("*", 10, new[] { 9 })]
    [InlineData("8:*", 10, new[] { 7, 8, 9 })]
    [InlineData("50:*", 10, new[] { 9 })]
    [InlineData("50:60", 10, new int[0])]
    [InlineData("9:12", 10, new[] { 8, 9 })]
    [InlineData("3,1:2,2:4,9", 10, new[] { 0, 1, 2, 3, 8 })]
    [InlineData("4294967295", 10, new int[0])]
    [InlineData("1:5", 0, new int[0])]
    [InlineData("*", 0, new int[0])]
    public void ToIndexes_ForMessageCount_GivesZeroBasedSortedDistinctIndexes(string set, int count, int[] expected)
    {
        var sequenceSet = Assert.Single(ImapSearchParser.Parse(set).SequenceSets);

        Assert.Equal(expected, sequenceSet.ToIndexes(count));
    }

    [Fact]
    public void ToIndexes_NegativeCount_ThrowsArgumentOutOfRange()
    {
        var set = Assert.Single(ImapSearchParser.Parse("1:2").SequenceSets);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => set.ToIndexes(-1));

        Assert.Equal("messageCount", ex.ParamName);
    }
}
