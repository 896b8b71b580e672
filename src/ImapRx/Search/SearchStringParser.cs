using System;
using System.Collections.Generic;
using MailKit.Search;

namespace ImapRx.Search;

/// <summary>
/// Hand-written scanner and recursive-descent parser for RFC 3501 / RFC 9051 search keys.
/// It reads the string in place (no token objects, no regular expressions) and builds MailKit's
/// query objects directly. Argument readers live in the partial files next to this one.
/// </summary>
internal sealed partial class SearchStringParser
{
    /// <summary>
    /// How deep NOT, OR, FUZZY and parentheses may nest. Hostile input such as 100,000 opening
    /// parentheses must end in a syntax error, never in a stack overflow (which no catch can stop);
    /// MailKit also recurses over the finished tree when it writes the command.
    /// </summary>
    internal const int MaxDepth = 100;

    private static readonly char[] Forbidden = { '\r', '\n', '\0' };

    private readonly string _s;
    private int _pos;
    private int _depth;
    private List<ImapSequenceSet>? _sequenceSets;

    private SearchStringParser(string s)
    {
        _s = s;
    }

    public static ImapSearchCriteria Parse(string criteria)
    {
        RejectLineBreaksAndNul(criteria);
        var parser = new SearchStringParser(criteria);
        var query = parser.ParseCriteria();
        return new ImapSearchCriteria(query, parser._sequenceSets);
    }

    /// <summary>
    /// Checked over the whole string before anything else, so a line break is reported as such
    /// wherever it is, even inside quotes or after another mistake.
    /// </summary>
    private static void RejectLineBreaksAndNul(string s)
    {
        var i = s.IndexOfAny(Forbidden);
        if (i < 0)
        {
            return;
        }

        var token = s[i].ToString();
        if (s[i] == '\0')
        {
            throw SearchErrors.Build($"Found a NUL character at position {i}; a search string cannot contain NUL.", i, token);
        }

        var name = s[i] == '\r' ? "CR" : "LF";
        throw SearchErrors.Build(
            $"Found a line break ({name}) at position {i}; a search string must not contain CR or LF anywhere, " +
            "not even inside quotes, because a line break would end the IMAP command and let the rest run as a new command.",
            i,
            token);
    }

    private bool AtEnd => _pos >= _s.Length;

    private SearchQuery ParseCriteria()
    {
        SkipSpaces();
        SkipCharset();
        return ParseKeyList(openParen: -1);
    }

    /// <summary>One or more keys up to the end (top level) or the closing parenthesis (a group); implicit AND.</summary>
    private SearchQuery ParseKeyList(int openParen)
    {
        var first = ParseKey();
        if (AtListEnd(openParen))
        {
            return first;
        }

        var keys = new List<SearchQuery> { first };
        do
        {
            keys.Add(ParseKey());
        }
        while (!AtListEnd(openParen));

        return Balance(keys, 0, keys.Count);
    }

    private bool AtListEnd(int openParen)
    {
        SkipSpaces();
        if (AtEnd)
        {
            if (openParen >= 0)
            {
                throw SearchErrors.Build(
                    $"Expected ')' to close the '(' at position {openParen}, found the end of the string.", openParen, "(");
            }

            return true;
        }

        if (_s[_pos] == ')')
        {
            if (openParen >= 0)
            {
                return true;
            }

            throw SearchErrors.Expected("a search key", _pos, ")", "There is no '(' for this ')' to close.");
        }

        return false;
    }

    /// <summary>
    /// Joins the keys of a list as a balanced tree of ANDs. MailKit writes nested ANDs without
    /// parentheses, so the wire form is the same as a left-leaning chain, but the depth stays
    /// logarithmic for strings with thousands of keys.
    /// </summary>
    private static SearchQuery Balance(List<SearchQuery> keys, int from, int to)
    {
        if (to - from == 1)
        {
            return keys[from];
        }

        var middle = from + ((to - from) / 2);
        return SearchQuery.And(Balance(keys, from, middle), Balance(keys, middle, to));
    }

    private SearchQuery ParseKey()
    {
        SkipSpaces();
        if (AtEnd)
        {
            throw SearchErrors.Expected("a search key (such as ALL, UNSEEN or FROM)", _pos, string.Empty);
        }

        var start = _pos;
        switch (_s[_pos])
        {
            case '(':
                Enter(start);
                _pos++;
                var group = ParseKeyList(start);
                _pos++; // the ')' AtListEnd stopped at
                _depth--;
                return group;
            case ')':
                throw SearchErrors.Expected("a search key", start, ")");
            case '"':
                throw SearchErrors.Expected(
                    "a search key", start, TokenAt(start), "A quoted string can only follow a key such as SUBJECT or FROM.");
            case '{':
                throw LiteralNotSupported(start);
        }

        if (IsDigit(_s[_pos]) || _s[_pos] == '*')
        {
            return ParseSequenceSetKey();
        }

        var length = ReadAtom();
        if (!SearchKeys.TryLookup(_s, start, length, out var key))
        {
            var word = _s.Substring(start, length);
            throw SearchErrors.Expected("a search key", start, word, SearchKeys.Suggest(word));
        }

        return ParseArguments(key, start);
    }

    private SearchQuery ParseArguments(SearchKey key, int keyStart)
    {
        switch (key)
        {
            case SearchKey.All: return SearchQuery.All;
            case SearchKey.Answered: return SearchQuery.Answered;
            case SearchKey.Deleted: return SearchQuery.Deleted;
            case SearchKey.Draft: return SearchQuery.Draft;
            case SearchKey.Flagged: return SearchQuery.Flagged;
            case SearchKey.New: return SearchQuery.New;
            case SearchKey.Old: return SearchQuery.Old;
            case SearchKey.Recent: return SearchQuery.Recent;
            case SearchKey.Seen: return SearchQuery.Seen;
            case SearchKey.Unanswered: return SearchQuery.NotAnswered;
            case SearchKey.Undeleted: return SearchQuery.NotDeleted;
            case SearchKey.Undraft: return SearchQuery.NotDraft;
            case SearchKey.Unflagged: return SearchQuery.NotFlagged;
            case SearchKey.Unseen: return SearchQuery.NotSeen;
            case SearchKey.SaveDateSupported: return SearchQuery.SaveDateSupported;

            case SearchKey.Bcc: return SearchQuery.BccContains(ReadText(key));
            case SearchKey.Body: return SearchQuery.BodyContains(ReadText(key));
            case SearchKey.Cc: return SearchQuery.CcContains(ReadText(key));
            case SearchKey.From: return SearchQuery.FromContains(ReadText(key));
            case SearchKey.Subject: return SearchQuery.SubjectContains(ReadText(key));
            case SearchKey.Text: return SearchQuery.MessageContains(ReadText(key));
            case SearchKey.To: return SearchQuery.ToContains(ReadText(key));
            case SearchKey.Header:
                var field = ReadHeaderField();
                return SearchQuery.HeaderContains(field, ReadText(key, allowEmpty: true));
            case SearchKey.Keyword: return SearchQuery.HasKeyword(ReadKeyword(key));
            case SearchKey.Unkeyword: return SearchQuery.NotKeyword(ReadKeyword(key));

            // BEFORE, ON and SINCE compare the internal (delivery) date; SENT* the Date: header.
            case SearchKey.Before: return SearchQuery.DeliveredBefore(ReadDate(key));
            case SearchKey.On: return SearchQuery.DeliveredOn(ReadDate(key));
            case SearchKey.Since: return SearchQuery.DeliveredAfter(ReadDate(key));
            case SearchKey.SentBefore: return SearchQuery.SentBefore(ReadDate(key));
            case SearchKey.SentOn: return SearchQuery.SentOn(ReadDate(key));
            case SearchKey.SentSince: return SearchQuery.SentSince(ReadDate(key));
            case SearchKey.SavedBefore: return SearchQuery.SavedBefore(ReadDate(key));
            case SearchKey.SavedOn: return SearchQuery.SavedOn(ReadDate(key));
            case SearchKey.SavedSince: return SearchQuery.SavedSince(ReadDate(key));

            // MailKit's LargerThan/SmallerThan take an int; RFC 9051 sizes are 63-bit, so use the query type directly.
            case SearchKey.Larger:
                return new NumericSearchQuery(SearchTerm.LargerThan, ReadNumber(key, Argument.Size, 0, long.MaxValue));
            case SearchKey.Smaller:
                return new NumericSearchQuery(SearchTerm.SmallerThan, ReadNumber(key, Argument.Size, 0, long.MaxValue));
            case SearchKey.Younger:
                return new NumericSearchQuery(SearchTerm.Younger, ReadNumber(key, Argument.Seconds, 1, uint.MaxValue));
            case SearchKey.Older:
                return new NumericSearchQuery(SearchTerm.Older, ReadNumber(key, Argument.Seconds, 1, uint.MaxValue));
            case SearchKey.ModSeq:
                return SearchQuery.ChangedSince(ReadModSeq());

            case SearchKey.Uid: return ParseUidArgument();

            case SearchKey.Not:
                Enter(keyStart);
                var operand = ParseKey();
                _depth--;
                return SearchQuery.Not(operand);
            case SearchKey.Fuzzy:
                Enter(keyStart);
                var fuzzy = ParseKey();
                _depth--;
                return SearchQuery.Fuzzy(fuzzy);
            case SearchKey.Or:
                Enter(keyStart);
                var left = ParseKey();
                var right = ParseKey();
                _depth--;
                return SearchQuery.Or(left, right);

            default: // SearchKey.Charset anywhere but first
                throw SearchErrors.Expected(
                    "a search key", keyStart, _s.Substring(keyStart, _pos - keyStart), "CHARSET can only come first in a search string.");
        }
    }

    private void Enter(int position)
    {
        if (++_depth > MaxDepth)
        {
            throw SearchErrors.Build(
                $"Expected at most {MaxDepth} levels of nested NOT, OR, FUZZY and parentheses, found more at position {position}.",
                position,
                TokenAt(position));
        }
    }

    /// <summary>An optional <c>CHARSET name</c> prefix. MailKit picks the charset itself, so only the harmless ones pass.</summary>
    private void SkipCharset()
    {
        if (AtEnd || (_s[_pos] | 0x20) != 'c')
        {
            return;
        }

        var start = _pos;
        var length = AtomLengthAt(_pos);
        if (!SearchKeys.TryLookup(_s, start, length, out var key) || key != SearchKey.Charset)
        {
            return;
        }

        _pos += length;
        SkipSpaces();
        var nameStart = _pos;
        var name = AtEnd || _s[_pos] is '(' or ')' ? null : ReadString();
        if (name is null
            || !(string.Equals(name, "UTF-8", StringComparison.OrdinalIgnoreCase)
                 || string.Equals(name, "US-ASCII", StringComparison.OrdinalIgnoreCase)))
        {
            throw SearchErrors.Expected(
                "UTF-8 or US-ASCII after CHARSET", nameStart, TokenAt(nameStart), "MailKit chooses the charset for the search itself.");
        }
    }
}
