using System;
using System.Collections.Generic;
using MailKit;
using MailKit.Search;

namespace ImapRx.Search;

/// <summary>
/// A parsed IMAP search string: MailKit's typed <see cref="SearchQuery"/>, plus any message
/// sequence sets that can only be turned into UIDs once a folder is selected.
/// </summary>
/// <remarks>
/// <para>Most strings (<c>FROM "a@b.example" UNSEEN</c>, <c>UID 1:5,7,10:*</c>) need nothing at run
/// time: <see cref="RequiresResolution"/> is false and <see cref="Query"/> is ready for
/// <c>IMailFolder.SearchAsync</c>. MailKit quotes every string on the wire.</para>
/// <para>A string with message sequence numbers (<c>1:100</c>, <c>OR 1:5 FLAGGED</c>) has
/// <see cref="RequiresResolution"/> true, because MailKit's <see cref="SearchQuery"/> can express
/// UIDs but not sequence numbers. With the folder open, for each set in
/// <see cref="SequenceSets"/> fetch the UIDs of <see cref="ImapSequenceSet.ToIndexes"/>
/// (one <c>FETCH (UID)</c>), then call <see cref="Resolve"/>:</para>
/// <code>
/// var map = new Dictionary&lt;ImapSequenceSet, IList&lt;UniqueId&gt;&gt;();
/// foreach (var set in criteria.SequenceSets)
/// {
///     var found = await folder.FetchAsync(set.ToIndexes(folder.Count), MessageSummaryItems.UniqueId, ct);
///     map[set] = new UniqueIdSet(found.Select(m =&gt; m.UniqueId), SortOrder.Ascending);
/// }
/// var query = criteria.Resolve(set =&gt; map[set]);
/// </code>
/// <para>This takes a snapshot: a message expunged between the FETCH and the SEARCH is simply
/// not found, which is the same race any IMAP client has with sequence numbers.</para>
/// </remarks>
public sealed class ImapSearchCriteria
{
    private static readonly IReadOnlyList<ImapSequenceSet> NoSets = Array.Empty<ImapSequenceSet>();

    private readonly SearchQuery _query;

    internal ImapSearchCriteria(SearchQuery query, IReadOnlyList<ImapSequenceSet>? sequenceSets)
    {
        _query = query;
        SequenceSets = sequenceSets ?? NoSets;
    }

    /// <summary>Whether the string used message sequence numbers that <see cref="Resolve"/> must turn into UIDs.</summary>
    public bool RequiresResolution => SequenceSets.Count > 0;

    /// <summary>The message sequence sets in the order they appear in the string; empty for most strings.</summary>
    internal IReadOnlyList<ImapSequenceSet> SequenceSets { get; }

    /// <summary>The typed query, ready to run.</summary>
    /// <exception cref="InvalidOperationException">
    /// <see cref="RequiresResolution"/> is true; call <see cref="Resolve"/> instead.
    /// </exception>
    public SearchQuery Query
    {
        get
        {
            if (RequiresResolution)
            {
                throw new InvalidOperationException(
                    $"The search uses message sequence numbers ({SequenceSets[0]}), which MailKit's SearchQuery cannot express; " +
                    "call Resolve with the UIDs of those messages in the selected folder.");
            }

            return _query;
        }
    }

    /// <summary>
    /// Builds the final query, putting a UID set in place of every message sequence set.
    /// </summary>
    /// <param name="resolveSequenceSet">
    /// Returns the UIDs of the messages a set selects in the open folder (see the class remarks);
    /// an empty list means no message matches that set.
    /// </param>
    /// <returns>The query to run; <see cref="Query"/> itself when nothing needs resolving.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="resolveSequenceSet"/> is null.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="resolveSequenceSet"/> returned null.</exception>
    internal SearchQuery Resolve(Func<ImapSequenceSet, IList<UniqueId>> resolveSequenceSet)
    {
        if (resolveSequenceSet is null)
        {
            throw new ArgumentNullException(nameof(resolveSequenceSet));
        }

        return RequiresResolution ? Substitute(_query, resolveSequenceSet) : _query;
    }

    private static SearchQuery Substitute(SearchQuery node, Func<ImapSequenceSet, IList<UniqueId>> resolve)
    {
        switch (node)
        {
            case SequenceSetPlaceholderQuery placeholder:
                var uids = resolve(placeholder.Set)
                    ?? throw new InvalidOperationException($"The resolver returned null for the sequence set {placeholder.Set}.");

                // UidSearchQuery refuses an empty list; "NOT ALL" is IMAP's way to match nothing.
                return uids.Count == 0 ? SearchQuery.Not(SearchQuery.All) : SearchQuery.Uids(uids);
            case BinarySearchQuery binary:
                var left = Substitute(binary.Left, resolve);
                var right = Substitute(binary.Right, resolve);
                return ReferenceEquals(left, binary.Left) && ReferenceEquals(right, binary.Right)
                    ? binary
                    : new BinarySearchQuery(binary.Term, left, right);
            case UnarySearchQuery unary:
                var operand = Substitute(unary.Operand, resolve);
                return ReferenceEquals(operand, unary.Operand) ? unary : new UnarySearchQuery(unary.Term, operand);
            default:
                return node;
        }
    }
}
