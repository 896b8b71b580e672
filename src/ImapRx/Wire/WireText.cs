using System.Text;
using System.Runtime.CompilerServices;

namespace ImapRx.Wire;

/// <summary>
/// Turns wire bytes into text the way MailKit does, so both paths give the same strings: strict UTF-8 first,
/// Latin-1 when the bytes are not valid UTF-8.
/// </summary>
internal static class WireText
{
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);
    private static readonly Encoding Latin1 = Encoding.GetEncoding(28591);

    [MethodImpl(WireJit.Hot)]
    internal static string Decode(byte[] buffer, int offset, int count)
    {
        if (count == 0)
        {
            return string.Empty;
        }

        var ascii = true;
        for (var i = offset; i < offset + count; i++)
        {
            if (buffer[i] >= 0x80)
            {
                ascii = false;
                break;
            }
        }

        if (ascii)
        {
            return Encoding.ASCII.GetString(buffer, offset, count);
        }

        try
        {
            return StrictUtf8.GetString(buffer, offset, count);
        }
        catch (DecoderFallbackException)
        {
            return Latin1.GetString(buffer, offset, count);
        }
    }

    /// <summary>The bytes MailKit hands MimeKit's RFC 2047 decoder: the string's UTF-8 form.</summary>
    [MethodImpl(WireJit.Hot)]
    internal static byte[] Utf8Bytes(string value) => Encoding.UTF8.GetBytes(value);

    /// <summary>
    /// Printable ASCII (space to '~') with no <c>=?</c>, so no encoded word can start: MimeKit's RFC 2047 decoders
    /// give such a subject or display name back unchanged, and the string is made straight from the bytes.
    /// <c>WireFastPathTests</c> hold this to MimeKit on generated text.
    /// </summary>
    [MethodImpl(WireJit.Hot)]
    internal static bool IsPlainText(in WireBytes text)
    {
        var buffer = text.Buffer;
        var end = text.Offset + text.Length;
        for (var i = text.Offset; i < end; i++)
        {
            var b = buffer[i];
            if (b < 0x20 || b > 0x7e || (b == (byte)'=' && i + 1 < end && buffer[i + 1] == (byte)'?'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A local part or a domain MimeKit keeps exactly as given: letters, digits, <c>.</c>, <c>-</c>, <c>_</c> and
    /// <c>+</c>, not empty, no dot first, last or twice in a row; a domain also has no upper case and no
    /// <c>xn--</c> label (MimeKit maps international domains). <c>WireFastPathTests</c> hold this to MimeKit.
    /// </summary>
    [MethodImpl(WireJit.Hot)]
    internal static bool IsPlainAddressPart(in WireBytes part, bool isDomain)
    {
        if (part.Length == 0 || part[0] == (byte)'.' || part[part.Length - 1] == (byte)'.')
        {
            return false;
        }

        var buffer = part.Buffer;
        var end = part.Offset + part.Length;
        for (var i = part.Offset; i < end; i++)
        {
            var b = buffer[i];
            var ok = (b >= (byte)'a' && b <= (byte)'z') || (b >= (byte)'0' && b <= (byte)'9') || b == (byte)'-' ||
                     (b == (byte)'.' && buffer[i - 1] != (byte)'.') ||
                     (!isDomain && ((b >= (byte)'A' && b <= (byte)'Z') || b == (byte)'_' || b == (byte)'+'));
            if (!ok)
            {
                return false;
            }

            if (isDomain && b == (byte)'-' && i - part.Offset >= 3 && buffer[i - 1] == (byte)'-' &&
                (buffer[i - 2] | 0x20) == (byte)'n' && (buffer[i - 3] | 0x20) == (byte)'x')
            {
                return false; // "xn--": an IDNA label
            }
        }

        return true;
    }

    /// <summary>True when every byte is ASCII: the string MailKit decodes from them has exactly these bytes as UTF-8.</summary>
    [MethodImpl(WireJit.Hot)]
    internal static bool IsAscii(in WireBytes text)
    {
        var end = text.Offset + text.Length;
        for (var i = text.Offset; i < end; i++)
        {
            if (text.Buffer[i] >= 0x80)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A subject as MailKit decodes it: <c>Rfc2047.DecodeText</c> of the string's UTF-8 bytes.</summary>
    [MethodImpl(WireJit.Hot)]
    internal static string DecodeSubject(in WireBytes text)
    {
        if (IsPlainText(text))
        {
            return Ascii(text);
        }

        // ASCII bytes are their string's UTF-8 form already: hand them to MimeKit without the round trip.
        return IsAscii(text)
            ? MimeKit.Utils.Rfc2047.DecodeText(MimeKit.ParserOptions.Default, text.Buffer, text.Offset, text.Length)
            : MimeKit.Utils.Rfc2047.DecodeText(Utf8Bytes(text.Text()));
    }

    /// <summary>A display name as MailKit decodes it: <c>Rfc2047.DecodePhrase</c> of the string's UTF-8 bytes.</summary>
    [MethodImpl(WireJit.Hot)]
    internal static string DecodeName(in WireBytes text)
    {
        if (IsPlainText(text))
        {
            return Ascii(text);
        }

        return IsAscii(text)
            ? MimeKit.Utils.Rfc2047.DecodePhrase(MimeKit.ParserOptions.Default, text.Buffer, text.Offset, text.Length)
            : MimeKit.Utils.Rfc2047.DecodePhrase(Utf8Bytes(text.Text()));
    }

    /// <summary>The ASCII text of bytes already known to be printable ASCII.</summary>
    [MethodImpl(WireJit.Hot)]
    internal static string Ascii(in WireBytes text)
        => text.Length == 0 ? string.Empty : Encoding.ASCII.GetString(text.Buffer, text.Offset, text.Length);

    /// <summary><c>local@domain</c> (or just <paramref name="local"/> without a domain) in one string.</summary>
    [MethodImpl(WireJit.Hot)]
    internal static string JoinAddress(in WireBytes local, in WireBytes? domain)
    {
        if (domain is not { } d)
        {
            return Ascii(local);
        }

#if NET
        return string.Create(local.Length + 1 + d.Length, (Local: local, Domain: d), static (chars, parts) =>
        {
            Widen(parts.Local, chars);
            chars[parts.Local.Length] = '@';
            Widen(parts.Domain, chars.Slice(parts.Local.Length + 1));
        });
#else
        var chars = new char[local.Length + 1 + d.Length];
        for (var i = 0; i < local.Length; i++)
        {
            chars[i] = (char)local[i];
        }

        chars[local.Length] = '@';
        for (var i = 0; i < d.Length; i++)
        {
            chars[local.Length + 1 + i] = (char)d[i];
        }

        return new string(chars);
#endif
    }

#if NET
    [MethodImpl(WireJit.Hot)]
    private static void Widen(in WireBytes ascii, System.Span<char> chars)
    {
        for (var i = 0; i < ascii.Length; i++)
        {
            chars[i] = (char)ascii.Buffer[ascii.Offset + i];
        }
    }
#endif
}
