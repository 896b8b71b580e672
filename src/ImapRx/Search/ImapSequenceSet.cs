using System;
using System.Collections.Generic;

namespace ImapRx.Search;

/// <summary>
/// A message sequence set from a search string, such as <c>1:100</c> or <c>1:5,7,10:*</c>.
/// </summary>
/// <remarks>
/// MailKit's <see cref="MailKit.Search.SearchQuery"/> has no term for message sequence numbers
/// (only <see cref="MailKit.Search.SearchQuery.Uids"/>), and sequence numbers only mean something
/// for the folder that is selected at that moment. So the set is kept as parsed and resolved when
/// the search runs: <see cref="ToIndexes"/> turns it into MailKit's 0-based message indexes for
/// the folder's current message count; the caller fetches those messages' UIDs and hands them to
/// <see cref="ImapSearchCriteria.Resolve"/>. <c>*</c> is the last message (sequence number equal
/// to the message count); as in IMAP, <c>a:b</c> and <c>b:a</c> are the same range.
/// </remarks>
internal sealed class ImapSequenceSet
{
    /// <summary>Marks <c>*</c> in <see cref="_bounds"/>; 0 can never be a sequence number.</summary>
    internal const uint Star = 0;

    private readonly string _text;

    // Pairs of (first, last) as written; Star stands for '*'.
    private readonly uint[] _bounds;

    internal ImapSequenceSet(string text, uint[] bounds)
    {
        _text = text;
        _bounds = bounds;
    }

    /// <summary>
    /// The 0-based MailKit message indexes this set selects in a folder holding
    /// <paramref name="messageCount"/> messages, ascending and without duplicates.
    /// </summary>
    /// <param name="messageCount">The selected folder's current message count (EXISTS).</param>
    /// <returns>
    /// The indexes, ready for <c>IMailFolder.FetchAsync(indexes, MessageSummaryItems.UniqueId)</c>;
    /// empty when the folder is empty or every number is beyond its end (such numbers match no message,
    /// as they do in a server-side SEARCH).
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="messageCount"/> is negative.</exception>
    internal IList<int> ToIndexes(int messageCount)
    {
        if (messageCount < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(messageCount), messageCount, "The message count cannot be negative.");
        }

        if (messageCount == 0)
        {
            return Array.Empty<int>();
        }

        var pairs = _bounds.Length / 2;
        var lows = new long[pairs];
        var highs = new long[pairs];
        var used = 0;
        for (var i = 0; i < pairs; i++)
        {
            var a = _bounds[2 * i] == Star ? messageCount : (long)_bounds[2 * i];
            var b = _bounds[(2 * i) + 1] == Star ? messageCount : (long)_bounds[(2 * i) + 1];
            var low = Math.Min(a, b);
            if (low > messageCount)
            {
                continue;
            }

            lows[used] = low;
            highs[used] = Math.Min(Math.Max(a, b), messageCount);
            used++;
        }

        Array.Sort(lows, highs, 0, used);
        var indexes = new List<int>();
        long next = 1;
        for (var i = 0; i < used; i++)
        {
            for (var n = Math.Max(lows[i], next); n <= highs[i]; n++)
            {
                indexes.Add((int)(n - 1));
            }

            next = Math.Max(next, highs[i] + 1);
        }

        return indexes;
    }

    /// <summary>The set as written in the search string, for example <c>1:5,7,10:*</c>.</summary>
    public override string ToString() => _text;
}
