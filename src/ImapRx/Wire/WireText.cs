using System.Text;

namespace ImapRx.Wire;

/// <summary>
/// Turns wire bytes into text the way MailKit does, so both paths give the same strings: strict UTF-8 first,
/// Latin-1 when the bytes are not valid UTF-8.
/// </summary>
internal static class WireText
{
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);
    private static readonly Encoding Latin1 = Encoding.GetEncoding(28591);

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
    internal static byte[] Utf8Bytes(string value) => Encoding.UTF8.GetBytes(value);
}
