using ImapRx.Search;
using MailKit.Search;

namespace ImapRx.Tests.Search;

internal static class SearchTestHelpers
{
    public static SearchQuery ParseQuery(string criteria) => ImapSearchParser.Parse(criteria).Query;

    public static ImapSearchSyntaxException ParseError(string criteria) =>
        Assert.Throws<ImapSearchSyntaxException>(() => ImapSearchParser.Parse(criteria));

    public static T As<T>(SearchQuery query)
        where T : SearchQuery => Assert.IsType<T>(query);

    /// <summary>The keys of an implicit AND, in order, whatever the shape of the AND tree.</summary>
    public static List<SearchQuery> Conjuncts(SearchQuery query)
    {
        var result = new List<SearchQuery>();
        Collect(query, result);
        return result;

        static void Collect(SearchQuery node, List<SearchQuery> into)
        {
            if (node.Term == SearchTerm.And)
            {
                var and = (BinarySearchQuery)node;
                Collect(and.Left, into);
                Collect(and.Right, into);
            }
            else
            {
                into.Add(node);
            }
        }
    }

    public static int Depth(SearchQuery query) => query switch
    {
        BinarySearchQuery b => 1 + Math.Max(Depth(b.Left), Depth(b.Right)),
        UnarySearchQuery u => 1 + Depth(u.Operand),
        _ => 1,
    };
}
