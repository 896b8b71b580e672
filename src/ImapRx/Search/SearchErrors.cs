using System;
using System.Globalization;
using System.Text;

namespace ImapRx.Search;

/// <summary>Builds the parser's error messages in one shape: what was expected, where, what was found.</summary>
internal static class SearchErrors
{
    private const int MaxShownLength = 40;

    public static ImapSearchSyntaxException Expected(string expected, int position, string token, string? hint = null)
    {
        var found = token.Length == 0 ? "the end of the string" : Quote(token);
        return Build($"Expected {expected} at position {position.ToString(CultureInfo.InvariantCulture)}, found {found}.", position, token, hint);
    }

    public static ImapSearchSyntaxException Build(string message, int position, string token, string? hint = null)
    {
        return new ImapSearchSyntaxException(hint is null ? message : message + " " + hint, position, token);
    }

    /// <summary>
    /// Quotes user text for a message: control characters escaped so the message cannot split a log
    /// line, long text shortened so a huge argument cannot flood one.
    /// </summary>
    public static string Quote(string text)
    {
        var builder = new StringBuilder(Math.Min(text.Length, MaxShownLength) + 8);
        builder.Append('\'');
        var shown = text.Length > MaxShownLength ? MaxShownLength - 3 : text.Length;
        for (var i = 0; i < shown; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '\r': builder.Append("\\r"); break;
                case '\n': builder.Append("\\n"); break;
                case '\t': builder.Append("\\t"); break;
                case '\0': builder.Append("\\0"); break;
                default:
                    if (c < ' ' || c == '\u007f' || c == '\u2028' || c == '\u2029' || c == '\u0085')
                    {
                        builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        if (shown < text.Length)
        {
            builder.Append("...");
        }

        return builder.Append('\'').ToString();
    }
}
