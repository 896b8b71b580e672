using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using MailKit;
using MailKit.Search;

namespace ImapRx.Search;

/// <summary>UID sets and message sequence sets (RFC 3501 sequence-set).</summary>
internal sealed partial class SearchStringParser
{
    private SearchQuery ParseUidArgument()
    {
        var start = ArgumentStart(Argument.UidSet, SearchKey.Uid);
        if (!IsDigit(_s[start]) && _s[start] != '*')
        {
            throw SearchErrors.Expected(Describe(Argument.UidSet, SearchKey.Uid), start, TokenAt(start));
        }

        var length = ReadAtom();
        var bounds = ParseSetBounds(start, length, "UID set");
        return BuildUidQuery(bounds, start, length);
    }

    /// <summary>
    /// A set used as a key of its own means message sequence numbers. <c>1:*</c> is every message,
    /// which is ALL; anything else waits for <see cref="ImapSearchCriteria.Resolve"/>.
    /// </summary>
    private SearchQuery ParseSequenceSetKey()
    {
        var start = _pos;
        var length = ReadAtom();
        var bounds = ParseSetBounds(start, length, "message sequence set");
        if (bounds.Length == 2
            && ((bounds[0] == 1 && bounds[1] == ImapSequenceSet.Star) || (bounds[0] == ImapSequenceSet.Star && bounds[1] == 1)))
        {
            return SearchQuery.All;
        }

        var set = new ImapSequenceSet(_s.Substring(start, length), bounds);
        (_sequenceSets ??= new List<ImapSequenceSet>()).Add(set);
        return new SequenceSetPlaceholderQuery(set);
    }

    /// <summary>Validates a set and returns (first, last) pairs as written, with <see cref="ImapSequenceSet.Star"/> for <c>*</c>.</summary>
    private uint[] ParseSetBounds(int start, int length, string kind)
    {
        var end = start + length;
        var pairs = 1;
        for (var i = start; i < end; i++)
        {
            if (_s[i] == ',')
            {
                pairs++;
            }
        }

        var bounds = new uint[pairs * 2];
        var position = start;
        for (var pair = 0; pair < pairs; pair++)
        {
            var first = ReadSetNumber(ref position, start, end, kind, afterColon: false);
            var last = first;
            var isRange = position < end && _s[position] == ':';
            if (isRange)
            {
                position++;
                last = ReadSetNumber(ref position, start, end, kind, afterColon: true);
            }

            bounds[2 * pair] = first;
            bounds[(2 * pair) + 1] = last;
            if (position < end && _s[position] != ',')
            {
                throw SetError(isRange ? "','" : "',' or ':'", position, start, end, kind);
            }

            position++;
        }

        return bounds;
    }

    private uint ReadSetNumber(ref int position, int start, int end, string kind, bool afterColon)
    {
        var expected = afterColon ? "a number or '*' after ':'" : "a number or '*'";
        if (position >= end || !(IsDigit(_s[position]) || _s[position] == '*'))
        {
            throw SetError(expected, position, start, end, kind);
        }

        if (_s[position] == '*')
        {
            position++;
            return ImapSequenceSet.Star;
        }

        var digits = position;
        var overflow = false;
        uint value = 0;
        while (position < end && IsDigit(_s[position]))
        {
            var digit = (uint)(_s[position++] - '0');
            overflow |= value > (uint.MaxValue - digit) / 10;
            value = unchecked((value * 10) + digit);
        }

        if (_s[digits] == '0' || overflow)
        {
            var text = _s.Substring(digits, position - digits);
            var what = kind == "UID set" ? "UIDs" : "Message sequence numbers";
            var rule = overflow ? "IMAP numbers in sets are 32-bit." : text == "0" ? $"{what} start at 1." : $"{what} are written without leading zeros.";
            throw SearchErrors.Expected(
                $"a number from 1 to 4294967295 in the {kind} {SearchErrors.Quote(_s.Substring(start, end - start))}", digits, text, rule);
        }

        return value;
    }

    private ImapSearchSyntaxException SetError(string expected, int position, int start, int end, string kind)
    {
        var set = _s.Substring(start, end - start);
        var message = $"Expected {expected} in the {kind} {SearchErrors.Quote(set)} at position {position}, found ";
        if (position >= end)
        {
            return SearchErrors.Build(message + "the end of the set.", position, string.Empty);
        }

        var token = _s[position].ToString();
        var hint = char.IsLetter(_s[position]) ? "A space must separate a set from the next key." : null;
        return SearchErrors.Build(message + SearchErrors.Quote(token) + ".", position, token, hint);
    }

    /// <summary>
    /// Builds MailKit's UID query so that it writes back exactly what was meant. MailKit writes a
    /// range ending at <see cref="UniqueId.MaxValue"/> as <c>n:*</c>, so <c>*</c> inside a range maps
    /// to MaxValue. A lone <c>*</c> (the highest UID) needs care: in a <see cref="UniqueIdSet"/> it would
    /// be written as the number 4294967295, but as a one-UID <see cref="UniqueIdRange"/> it is written
    /// <c>4294967295:*</c>, which selects exactly the highest UID; a set holding both is written as an OR.
    /// </summary>
    private SearchQuery BuildUidQuery(uint[] bounds, int start, int length)
    {
        var hasLoneStar = false;
        var hasOpenRange = false;
        var hasOtherItems = false;
        for (var i = 0; i < bounds.Length; i += 2)
        {
            var first = bounds[i];
            var last = bounds[i + 1];
            if (first == ImapSequenceSet.Star && last == ImapSequenceSet.Star)
            {
                hasLoneStar = true;
                continue;
            }

            hasOpenRange |= first == ImapSequenceSet.Star || last == ImapSequenceSet.Star;
            hasOtherItems = true;
        }

        var highest = SearchQuery.Uids(new UniqueIdRange(UniqueId.MaxValue, UniqueId.MaxValue));
        if (!hasOtherItems)
        {
            return highest;
        }

        var text = hasLoneStar || hasOpenRange ? CanonicalUidSet(bounds) : _s.Substring(start, length);
        if (!UniqueIdSet.TryParse(text, out var uids))
        {
            throw new InvalidOperationException($"MailKit did not accept the validated UID set '{text}'.");
        }

        var query = SearchQuery.Uids(uids);

        // n:* always contains the highest UID, so a lone * next to one adds nothing.
        return hasLoneStar && !hasOpenRange ? SearchQuery.Or(query, highest) : query;
    }

    /// <summary>The set without lone stars, each range ascending, <c>*</c> spelled as 4294967295 (which MailKit's parser takes).</summary>
    private static string CanonicalUidSet(uint[] bounds)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < bounds.Length; i += 2)
        {
            var first = bounds[i] == ImapSequenceSet.Star ? uint.MaxValue : bounds[i];
            var last = bounds[i + 1] == ImapSequenceSet.Star ? uint.MaxValue : bounds[i + 1];
            if (bounds[i] == ImapSequenceSet.Star && bounds[i + 1] == ImapSequenceSet.Star)
            {
                continue;
            }

            if (builder.Length > 0)
            {
                builder.Append(',');
            }

            builder.Append(Math.Min(first, last).ToString(CultureInfo.InvariantCulture));
            if (first != last)
            {
                builder.Append(':').Append(Math.Max(first, last).ToString(CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
