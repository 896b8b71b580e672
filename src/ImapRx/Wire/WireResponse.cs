namespace ImapRx.Wire;

/// <summary>
/// One complete server response, literals included, without its final CRLF. A view into the reader's buffer:
/// valid only until the next read.
/// </summary>
internal readonly struct WireResponse
{
    internal WireResponse(byte[] buffer, int offset, int length)
    {
        Buffer = buffer;
        Offset = offset;
        Length = length;
    }

    internal byte[] Buffer { get; }

    internal int Offset { get; }

    internal int Length { get; }

    internal int End => Offset + Length;

    internal WireCursor Cursor() => new(Buffer, Offset, End);

    internal bool StartsWith(string ascii)
    {
        if (Length < ascii.Length)
        {
            return false;
        }

        for (var i = 0; i < ascii.Length; i++)
        {
            if (Buffer[Offset + i] != (byte)ascii[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The response as text, for diagnostics of short status lines only (never a FETCH body).</summary>
    internal string ToText(int maxLength = 200)
        => WireText.Decode(Buffer, Offset, Length < maxLength ? Length : maxLength);
}
