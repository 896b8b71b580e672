using System.Runtime.CompilerServices;

namespace ImapRx.Wire;

/// <summary>A run of bytes inside a response buffer: a string token before it is decoded.</summary>
internal readonly struct WireBytes
{
    internal WireBytes(byte[] buffer, int offset, int length)
    {
        Buffer = buffer;
        Offset = offset;
        Length = length;
    }

    internal byte[] Buffer { get; }

    internal int Offset { get; }

    internal int Length { get; }

    internal byte this[int index] => Buffer[Offset + index];

    /// <summary>The text as MailKit decodes a string token (<see cref="WireText.Decode"/>).</summary>
    [MethodImpl(WireJit.Hot)]
    internal string Text() => WireText.Decode(Buffer, Offset, Length);

    /// <summary>True when the bytes are exactly <paramref name="ascii"/> (case-sensitive).</summary>
    [MethodImpl(WireJit.Hot)]
    internal bool Is(string ascii)
    {
        if (ascii.Length != Length)
        {
            return false;
        }

        for (var i = 0; i < Length; i++)
        {
            if (Buffer[Offset + i] != ascii[i])
            {
                return false;
            }
        }

        return true;
    }
}
