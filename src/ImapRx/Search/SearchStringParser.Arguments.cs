using System;
using System.Globalization;
using System.Text;

namespace ImapRx.Search;

/// <summary>The scanner and the readers for key arguments: strings, numbers, keywords, header names.</summary>
internal sealed partial class SearchStringParser
{
    /// <summary>What an argument should have been; turned into words only when there is an error to report.</summary>
    private enum Argument
    {
        Text,
        NonEmptyText,
        HeaderField,
        Keyword,
        Date,
        Size,
        Seconds,
        ModSeq,
        UidSet,
    }

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

    private static string Describe(Argument argument, SearchKey key)
    {
        var name = SearchKeys.NameOf(key);
        return argument switch
        {
            Argument.Text => "a string after " + name,
            Argument.NonEmptyText => "a non-empty string after " + name,
            Argument.HeaderField => "a header field name like X-Mailer after " + name,
            Argument.Keyword => "a keyword (an atom such as $Important or NonJunk) after " + name,
            Argument.Date => "a date like 1-Jan-2026 after " + name,
            Argument.Size => "a size in bytes after " + name,
            Argument.Seconds => "a number of seconds after " + name,
            Argument.ModSeq => "a mod-sequence number after " + name,
            _ => "a UID set like 1:5,7,10:* after " + name,
        };
    }

    private ImapSearchSyntaxException BadArgument(Argument argument, SearchKey key, int start, string? hint = null) =>
        SearchErrors.Expected(Describe(argument, key), start, _s.Substring(start, _pos - start), hint);

    /// <summary>Skips to an argument and rejects the end of the string or a parenthesis in its place.</summary>
    private int ArgumentStart(Argument argument, SearchKey key)
    {
        SkipSpaces();
        if (AtEnd)
        {
            throw SearchErrors.Expected(Describe(argument, key), _pos, string.Empty);
        }

        if (_s[_pos] is '(' or ')')
        {
            throw SearchErrors.Expected(Describe(argument, key), _pos, _s[_pos].ToString());
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
        var start = ArgumentStart(Argument.Text, key);
        var text = ReadString();
        if (text.Length == 0 && !allowEmpty)
        {
            throw BadArgument(Argument.NonEmptyText, key, start, EmptyTextHint(key));
        }

        return text;
    }

    /// <summary>
    /// IMAP allows an empty substring but servers disagree on what it matches, and MailKit refuses it;
    /// so say what to write instead of guessing.
    /// </summary>
    private static string EmptyTextHint(SearchKey key)
    {
        const string cannot = "MailKit cannot search for an empty string";
        switch (key)
        {
            case SearchKey.Body:
            case SearchKey.Text:
                return cannot + "; to match every message write ALL.";
            default:
                var field = SearchKeys.NameOf(key);
                field = field.Substring(0, 1) + field.Substring(1).ToLowerInvariant();
                return $"{cannot}; to find messages that have a {field} header write HEADER {field} \"\".";
        }
    }

    /// <summary>
    /// A header field name. MailKit writes it to the wire unquoted, so it must be a plain atom:
    /// printable ASCII without spaces, colons or IMAP specials (as every real header name is).
    /// </summary>
    private string ReadHeaderField()
    {
        var start = ArgumentStart(Argument.HeaderField, SearchKey.Header);
        var name = ReadString();
        if (name.Length == 0 || !IsAtom(name) || name.IndexOf(':') >= 0)
        {
            throw BadArgument(Argument.HeaderField, SearchKey.Header, start);
        }

        return name;
    }

    /// <summary>A flag keyword (RFC 3501 flag-keyword is an atom), quoted or not.</summary>
    private string ReadKeyword(SearchKey key)
    {
        var start = ArgumentStart(Argument.Keyword, key);
        var keyword = ReadString();
        if (keyword.Length == 0 || !IsAtom(keyword))
        {
            var hint = keyword.StartsWith("\\", StringComparison.Ordinal)
                ? "System flags have their own keys: SEEN, ANSWERED, FLAGGED, DELETED, DRAFT and their UN- forms."
                : null;
            throw BadArgument(Argument.Keyword, key, start, hint);
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

    private ulong ReadNumber(SearchKey key, Argument argument, ulong min, ulong max)
    {
        var start = ArgumentStart(argument, key);
        if (!IsDigit(_s[_pos]))
        {
            throw SearchErrors.Expected(Describe(argument, key), start, TokenAt(start));
        }

        var length = ReadAtom();
        ulong value = 0;
        for (var i = start; i < start + length; i++)
        {
            var c = _s[i];
            if (!IsDigit(c))
            {
                throw BadArgument(argument, key, start);
            }

            var digit = (ulong)(c - '0');
            if (value > (max - digit) / 10)
            {
                throw BadArgument(argument, key, start, $"The largest allowed value is {max.ToString(CultureInfo.InvariantCulture)}.");
            }

            value = (value * 10) + digit;
        }

        if (value < min)
        {
            throw BadArgument(argument, key, start, $"The smallest allowed value is {min.ToString(CultureInfo.InvariantCulture)}.");
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
                Describe(Argument.ModSeq, SearchKey.ModSeq),
                _pos,
                TokenAt(_pos),
                "MODSEQ with a metadata entry name cannot be expressed with MailKit; use MODSEQ <number>.");
        }

        return ReadNumber(SearchKey.ModSeq, Argument.ModSeq, 0, long.MaxValue);
    }
}
