using MailKit.Search;

namespace ImapRx.Search;

/// <summary>
/// Stands in a parsed query tree where a message sequence set was, until
/// <see cref="ImapSearchCriteria.Resolve"/> swaps in the matching UIDs.
/// </summary>
/// <remarks>
/// The term is <see cref="SearchTerm.Uid"/> on purpose: should one ever reach MailKit unresolved,
/// MailKit's cast to <see cref="UidSearchQuery"/> fails loudly instead of sending a wrong search.
/// </remarks>
internal sealed class SequenceSetPlaceholderQuery : SearchQuery
{
    public SequenceSetPlaceholderQuery(ImapSequenceSet set)
        : base(SearchTerm.Uid)
    {
        Set = set;
    }

    public ImapSequenceSet Set { get; }
}
