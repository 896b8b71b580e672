using System;
using System.Runtime.CompilerServices;

namespace ImapRx.Wire;

/// <summary>
/// INTERNALDATE (<c>"d-Mon-yyyy hh:mm:ss +zzzz"</c>, day with or without a leading space or zero) read by the same
/// rules as MailKit: what MailKit cannot read becomes <see cref="DateTimeOffset.MinValue"/> there, and here too.
/// A date MailKit would fail on (a 31st of February) is rejected.
/// </summary>
internal static class WireInternalDate
{
    private static readonly string[] Months = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

    [MethodImpl(WireJit.Hot)]
    internal static DateTimeOffset Parse(string text) => Parse(text.AsSpan());

    /// <summary>The same from the response's bytes: printable ASCII is its own text, anything else is decoded first.</summary>
    [MethodImpl(WireJit.Hot)]
    internal static DateTimeOffset Parse(in WireBytes bytes)
    {
        if (!WireText.IsPlainText(bytes) || bytes.Length > 64)
        {
            return Parse(bytes.Text());
        }

        Span<char> chars = stackalloc char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            chars[i] = (char)bytes[i];
        }

        return Parse(chars);
    }

    [MethodImpl(WireJit.Hot)]
    internal static DateTimeOffset Parse(ReadOnlySpan<char> text)
    {
        var i = 0;
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        if (!Number(text, ref i, '-', out var day) || day < 1 || day > 31)
        {
            return DateTimeOffset.MinValue;
        }

        i++;
        if (!Month(text, ref i, out var month))
        {
            return DateTimeOffset.MinValue;
        }

        i++;
        if (!Number(text, ref i, ' ', out var year) || year < 1969)
        {
            return DateTimeOffset.MinValue;
        }

        i++;
        if (!Number(text, ref i, ':', out var hour) || hour > 23)
        {
            return DateTimeOffset.MinValue;
        }

        i++;
        if (!Number(text, ref i, ':', out var minute) || minute > 59)
        {
            return DateTimeOffset.MinValue;
        }

        i++;
        if (!Number(text, ref i, ' ', out var second) || second > 59)
        {
            return DateTimeOffset.MinValue;
        }

        i++;
        if (i >= text.Length || !Zone(text, ref i, out var zone))
        {
            return DateTimeOffset.MinValue;
        }

        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        if (i < text.Length)
        {
            return DateTimeOffset.MinValue;
        }

        try
        {
            return new DateTimeOffset(year, month, day, hour, minute, second, zone);
        }
        catch (ArgumentException)
        {
            throw WireCursor.Reject("INTERNALDATE out of range");
        }
    }

    [MethodImpl(WireJit.Hot)]
    private static bool Digits(ReadOnlySpan<char> text, ref int i, out int value)
    {
        var start = i;
        value = 0;
        while (i < text.Length && text[i] >= '0' && text[i] <= '9')
        {
            var digit = text[i] - '0';
            if (value > (int.MaxValue - digit) / 10)
            {
                return false;
            }

            value = (value * 10) + digit;
            i++;
        }

        return i > start;
    }

    [MethodImpl(WireJit.Hot)]
    private static bool Number(ReadOnlySpan<char> text, ref int i, char delimiter, out int value)
        => i < text.Length && Digits(text, ref i, out value) && i < text.Length && text[i] == delimiter
           || Fail(out value);

    [MethodImpl(WireJit.Hot)]
    private static bool Fail(out int value)
    {
        value = 0;
        return false;
    }

    [MethodImpl(WireJit.Hot)]
    private static bool Month(ReadOnlySpan<char> text, ref int i, out int month)
    {
        month = 0;
        if (i >= text.Length || i + 3 >= text.Length || text[i + 3] != '-')
        {
            return false;
        }

        for (var m = 0; m < Months.Length; m++)
        {
            if (text.Slice(i, 3).Equals(Months[m].AsSpan(), StringComparison.OrdinalIgnoreCase))
            {
                month = m + 1;
                i += 3;
                return true;
            }
        }

        return false;
    }

    [MethodImpl(WireJit.Hot)]
    private static bool Zone(ReadOnlySpan<char> text, ref int i, out TimeSpan zone)
    {
        zone = TimeSpan.Zero;
        var sign = 1;
        if (text[i] == '-')
        {
            sign = -1;
            i++;
        }
        else if (text[i] == '+')
        {
            i++;
        }

        if (!Digits(text, ref i, out var value))
        {
            return false;
        }

        value *= sign;
        while (value < -1400)
        {
            value += 2400;
        }

        while (value > 1400)
        {
            value -= 2400;
        }

        zone = new TimeSpan(value / 100, value % 100, 0);
        return true;
    }
}
