using System;
using System.Globalization;

namespace ImapRx.Search;

/// <summary>RFC 3501 dates (<c>d-MMM-yyyy</c>), read strictly.</summary>
internal sealed partial class SearchStringParser
{
    private static readonly string[] MonthAbbreviations =
    {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    };

    private DateTime ReadDate(SearchKey key)
    {
        var start = ArgumentStart(Argument.Date, key);
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
            throw BadArgument(Argument.Date, key, start, problem);
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
