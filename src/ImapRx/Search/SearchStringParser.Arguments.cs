using System;
using System.Globalization;
using System.Text;

namespace ImapRx.Search;

/// <summary>The scanner and the readers for key arguments: strings, dates, numbers, keywords, header names.</summary>
internal sealed partial class SearchStringParser
{
    private const string DateExample = "a date like 1-Jan-2026";

    private static readonly string[] MonthAbbreviations =
    {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    };

    private static bool IsDigit(char c) => c >= '0' && c <= '9';

    private static bool IsControl(char c) => c < ' ' || c == '\u007f';

    private static bool IsDelimiter(char c) => c is ' ' or '\t' or '(' or ')' or '"';

    /// <summary>IMAP ATOM-CHAR: printable ASCII except the atom-specials <c>(){ %*"\]</c>.</summary>
    private static bool IsAtomChar(char c) =>
        c > ' ' && c < '\u007f' && c is not ('(' or ')' or '{' or '%' or '*' or '"' or '\\' or ']');

    private void SkipSpaces()
    {
        while (_pos < _s.Length && (_s[_pos] == ' ' || _s[_pos] == '\t'))
        {
            _pos++;
        }
    }

    /// <summary>Reads an unquoted token; control characters are only allowed inside quotes.</summary>
    private int ReadAtom()
    {
        var start = _pos;
        while (_pos < _s.Length && !IsDelimiter(_s[_pos]))
        {
            if (IsControl(_s[_pos]))
            {
                throw SearchErrors.Expected(
                    "printable text",
                    _pos,
                    _s[_pos].ToString(),
                    $"Control character U+{(int)_s[_pos]:X4} is only allowed inside a quoted string.");
            }

            _pos++;
        }

        return _pos - start;
    }

    private int AtomLengthAt(int position)
    {
        var end = position;
        while (end < _s.Length && !IsDelimiter(_s[end]) && !IsControl(_s[end]))
        {
            end++;
        }

        return end - position;
    }

    /// <summary>The token starting at <paramref name="position"/>, for error messages only.</summary>
    private string TokenAt(int position)
    {
        if (position >= _s.Length)
        {
            return string.Empty;
        }

        var c = _s[position];
        if (c is '(' or ')' || IsControl(c))
        {
            return c.ToString();
        }

        if (c != '"')
        {
            return _s.Substring(position, Math.Max(1, AtomLengthAt(position)));
        }

        var end = position + 1;
        while (end < _s.Length && _s[end] != '"')
        {
            end += _s[end] == '\\' ? 2 : 1;
        }

        return _s.Substring(position, Math.Min(end + 1, _s.Length) - position);
    }

    private static ImapSearchSyntaxException LiteralNotSupported(int position) =>
        SearchErrors.Expected("a string", position, "{", "IMAP literals ({n}) are not supported here; write a quoted string instead.");

    /// <summary>Skips to an argument and rejects the end of the string or a parenthesis in its place.</summary>
    private int ArgumentStart(string expected)
    {
        SkipSpaces();
        if (AtEnd)
        {
            throw SearchErrors.Expected(expected, _pos, string.Empty);
        }

        if (_s[_pos] is '(' or ')')
        {
            throw SearchErrors.Expected(expected, _pos, _s[_pos].ToString());
        }

        if (_s[_pos] == '{')
        {
            throw LiteralNotSupported(_pos);
        }

        return _pos;
    }

    /// <summary>A quoted string or an atom at the current position (which is neither the end nor a parenthesis).</summary>
    private string ReadString()
    {
        if (_s[_pos] == '"')
        {
            return ReadQuoted();
        }

        if (_s[_pos] == '{')
        {
            throw LiteralNotSupported(_pos);
        }

        var start = _pos;
        return _s.Substring(start, ReadAtom());
    }

    /// <summary>A quoted string; <c>\"</c> and <c>\\</c> are its only escapes (RFC 3501 quoted-specials).</summary>
    private string ReadQuoted()
    {
        var open = _pos++;
        var segment = _pos;
        StringBuilder? unescaped = null;
        while (true)
        {
            if (AtEnd)
            {
                throw SearchErrors.Build(
                    $"Expected a closing '\"' for the quoted string that starts at position {open}, found the end of the string.",
                    open,
                    _s.Substring(open));
            }

            var c = _s[_pos];
            if (c == '"')
            {
                var text = unescaped is null
                    ? _s.Substring(segment, _pos - segment)
                    : unescaped.Append(_s, segment, _pos - segment).ToString();
                _pos++;
                return text;
            }

            if (c == '\\')
            {
                var next = _pos + 1 < _s.Length ? _s[_pos + 1] : '\0';
                if (next != '"' && next != '\\')
                {
                    var token = _pos + 1 < _s.Length ? _s.Substring(_pos, 2) : "\\";
                    throw SearchErrors.Expected(
                        "\\\" or \\\\ inside a quoted string",
                        _pos,
                        token,
                        "A backslash in a quoted string can only escape a double quote or another backslash.");
                }

                unescaped ??= new StringBuilder();
                unescaped.Append(_s, segment, _pos - segment).Append(next);
                _pos += 2;
                segment = _pos;
                continue;
            }

            _pos++;
        }
    }

    private string ReadText(SearchKey key, bool allowEmpty = false)
    {
        var expected = "a string after " + SearchKeys.NameOf(key);
        var start = ArgumentStart(expected);
        var text = ReadString();
        if (text.Length == 0 && !allowEmpty)
        {
            throw SearchErrors.Expected(
                "a non-empty string after " + SearchKeys.NameOf(key),
                start,
                _s.Substring(start, _pos - start),
                "MailKit cannot search for an empty string.");
        }

        return text;
    }

    /// <summary>
    /// A header field name. MailKit writes it to the wire unquoted, so it must be a plain atom:
    /// printable ASCII without spaces, colons or IMAP specials (as every real header name is).
    /// </summary>
    private string ReadHeaderField()
    {
        const string expected = "a header field name like X-Mailer after HEADER";
        var start = ArgumentStart(expected);
        var name = ReadString();
        if (name.Length == 0 || !IsAtom(name) || name.IndexOf(':') >= 0)
        {
            throw SearchErrors.Expected(expected, start, _s.Substring(start, _pos - start));
        }

        return name;
    }

    /// <summary>A flag keyword (RFC 3501 flag-keyword is an atom), quoted or not.</summary>
    private string ReadKeyword(SearchKey key)
    {
        var expected = "a keyword (an atom such as $Important or NonJunk) after " + SearchKeys.NameOf(key);
        var start = ArgumentStart(expected);
        var keyword = ReadString();
        if (keyword.Length == 0 || !IsAtom(keyword))
        {
            var hint = keyword.StartsWith("\\", StringComparison.Ordinal)
                ? "System flags have their own keys: SEEN, ANSWERED, FLAGGED, DELETED, DRAFT and their UN- forms."
                : null;
            throw SearchErrors.Expected(expected, start, _s.Substring(start, _pos - start), hint);
        }

        return keyword;
    }

    private static bool IsAtom(string text)
    {
        foreach (var c in text)
        {
            if (!IsAtomChar(c))
            {
                return false;
            }
        }

        return true;
    }

    private ulong ReadNumber(SearchKey key, string what, ulong min, ulong max)
    {
        var expected = $"{what} after {SearchKeys.NameOf(key)}";
        var start = ArgumentStart(expected);
        if (!IsDigit(_s[_pos]))
        {
            throw SearchErrors.Expected(expected, start, TokenAt(start));
        }

        var length = ReadAtom();
        ulong value = 0;
        for (var i = start; i < start + length; i++)
        {
            var c = _s[i];
            if (!IsDigit(c))
            {
                throw SearchErrors.Expected(expected, start, _s.Substring(start, length));
            }

            var digit = (ulong)(c - '0');
            if (value > (max - digit) / 10)
            {
                throw SearchErrors.Expected(
                    expected, start, _s.Substring(start, length), $"The largest allowed value is {max.ToString(CultureInfo.InvariantCulture)}.");
            }

            value = (value * 10) + digit;
        }

        if (value < min)
        {
            throw SearchErrors.Expected(
                expected, start, _s.Substring(start, length), $"The smallest allowed value is {min.ToString(CultureInfo.InvariantCulture)}.");
        }

        return value;
    }

    /// <summary>
    /// <c>MODSEQ n</c> (RFC 7162). The form with a metadata entry name (<c>MODSEQ "/flags/\\seen" all 5</c>)
    /// is valid IMAP but MailKit's query has no place for the entry, so it is refused rather than dropped.
    /// </summary>
    private ulong ReadModSeq()
    {
        SkipSpaces();
        if (!AtEnd && _s[_pos] == '"')
        {
            throw SearchErrors.Expected(
                "a mod-sequence number after MODSEQ",
                _pos,
                TokenAt(_pos),
                "MODSEQ with a metadata entry name cannot be expressed with MailKit; use MODSEQ <number>.");
        }

        return ReadNumber(SearchKey.ModSeq, "a mod-sequence number", 0, long.MaxValue);
    }

    private DateTime ReadDate(SearchKey key)
    {
        var expected = DateExample + " after " + SearchKeys.NameOf(key);
        var start = ArgumentStart(expected);
        string source;
        int offset, length;
        if (_s[_pos] == '"')
        {
            source = ReadQuoted();
            offset = 0;
            length = source.Length;
        }
        else
        {
            source = _s;
            offset = _pos;
            length = ReadAtom();
        }

        if (!TryParseDate(source, offset, length, out var date, out var problem))
        {
            throw SearchErrors.Expected(expected, start, _s.Substring(start, _pos - start), problem);
        }

        return date;
    }

    /// <summary>RFC 3501 date-text, strictly: 1 or 2 digit day, English month abbreviation, 4 digit year, a real calendar day.</summary>
    private static bool TryParseDate(string s, int offset, int length, out DateTime date, out string? problem)
    {
        date = default;
        problem = null;
        var end = offset + length;
        var i = offset;

        var day = 0;
        while (i < end && IsDigit(s[i]) && i - offset < 2)
        {
            day = (day * 10) + (s[i++] - '0');
        }

        if (i == offset || i + 9 != end || s[i] != '-' || s[i + 4] != '-')
        {
            return false;
        }

        var month = 0;
        for (var m = 0; m < MonthAbbreviations.Length; m++)
        {
            if (string.Compare(s, i + 1, MonthAbbreviations[m], 0, 3, StringComparison.OrdinalIgnoreCase) == 0)
            {
                month = m + 1;
                break;
            }
        }

        var year = 0;
        for (var y = i + 5; y < end; y++)
        {
            if (!IsDigit(s[y]))
            {
                return false;
            }

            year = (year * 10) + (s[y] - '0');
        }

        if (month == 0)
        {
            problem = "The month must be one of Jan, Feb, Mar, Apr, May, Jun, Jul, Aug, Sep, Oct, Nov, Dec.";
            return false;
        }

        if (year == 0)
        {
            problem = "There is no year 0000.";
            return false;
        }

        var daysInMonth = DateTime.DaysInMonth(year, month);
        if (day < 1 || day > daysInMonth)
        {
            var monthName = CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(month);
            problem = $"{monthName} {year} has {daysInMonth} days.";
            return false;
        }

        // IMAP dates carry no time zone (the server compares in its own); keep the kind Unspecified.
        date = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Unspecified);
        return true;
    }
}
