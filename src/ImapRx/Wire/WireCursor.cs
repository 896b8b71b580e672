using System;
using System.Runtime.CompilerServices;

namespace ImapRx.Wire;

/// <summary>
/// Reads IMAP tokens from one framed response (<see cref="WireResponse"/>). Strict: whatever does not follow the
/// grammar, or follows it only in a way MailKit reads differently (an unquoted string, a quote inside a quoted
/// string), throws <see cref="WireRejectedException"/> so the caller can fall back. It never reads past
/// <see cref="End"/>, and every loop advances, so no input can hang it.
/// </summary>
internal struct WireCursor
{
    private readonly byte[] _buffer;
    private byte[]? _scratch;

    internal WireCursor(byte[] buffer, int position, int end)
    {
        _buffer = buffer;
        Position = position;
        End = end;
        _scratch = null;
    }

    internal int Position { get; private set; }

    internal int End { get; }

    internal bool AtEnd => Position >= End;

    [MethodImpl(WireJit.Hot)]
    internal byte Peek() => Position < End ? _buffer[Position] : (byte)0;

    [MethodImpl(WireJit.Hot)]
    internal static WireRejectedException Reject(string reason) => new(reason);

    [MethodImpl(WireJit.Hot)]
    internal void Expect(byte value)
    {
        if (Position >= End || _buffer[Position] != value)
        {
            throw Reject($"expected '{(char)value}'");
        }

        Position++;
    }

    [MethodImpl(WireJit.Hot)]
    internal bool TryTake(byte value)
    {
        if (Position < End && _buffer[Position] == value)
        {
            Position++;
            return true;
        }

        return false;
    }

    /// <summary>Moves past <paramref name="count"/> bytes already looked at (never past the end).</summary>
    internal void Advance(int count) => Position = Math.Min(End, Position + count);

    /// <summary>MailKit skips any run of spaces between tokens; so does this.</summary>
    [MethodImpl(WireJit.Hot)]
    internal void SkipSpaces()
    {
        while (Position < End && _buffer[Position] == (byte)' ')
        {
            Position++;
        }
    }

    /// <summary>Reads an atom (letters, digits and the few punctuation marks atoms may hold) and returns its bounds.</summary>
    [MethodImpl(WireJit.Hot)]
    internal (int Start, int Length) ReadAtom()
    {
        var start = Position;
        while (Position < End && IsAtomByte(_buffer[Position]))
        {
            Position++;
        }

        if (Position == start)
        {
            throw Reject("expected an atom");
        }

        return (start, Position - start);
    }

    [MethodImpl(WireJit.Hot)]
    internal bool AtomEquals((int Start, int Length) atom, string upperAscii)
    {
        if (atom.Length != upperAscii.Length)
        {
            return false;
        }

        for (var i = 0; i < atom.Length; i++)
        {
            var b = _buffer[atom.Start + i];
            if (b >= (byte)'a' && b <= (byte)'z')
            {
                b -= 32;
            }

            if (b != (byte)upperAscii[i])
            {
                return false;
            }
        }

        return true;
    }

    [MethodImpl(WireJit.Hot)]
    internal string AtomText((int Start, int Length) atom) => WireText.Decode(_buffer, atom.Start, atom.Length);

    /// <summary>True and consumed when the next token is NIL (any case), followed by a delimiter.</summary>
    [MethodImpl(WireJit.Hot)]
    internal bool TryNil()
    {
        if (End - Position >= 3 &&
            (_buffer[Position] | 0x20) == (byte)'n' &&
            (_buffer[Position + 1] | 0x20) == (byte)'i' &&
            (_buffer[Position + 2] | 0x20) == (byte)'l' &&
            (Position + 3 == End || !IsAtomByte(_buffer[Position + 3])))
        {
            Position += 3;
            return true;
        }

        return false;
    }

    /// <summary>A non-negative number that fits in 32 bits.</summary>
    [MethodImpl(WireJit.Hot)]
    internal uint ReadNumber()
    {
        var value = ReadNumber64();
        if (value > uint.MaxValue)
        {
            throw Reject("number out of range");
        }

        return (uint)value;
    }

    /// <summary>A number token (digits only, then a delimiter) that fits in 64 bits.</summary>
    [MethodImpl(WireJit.Hot)]
    internal ulong ReadNumber64()
    {
        var start = Position;
        ulong value = 0;
        while (Position < End && _buffer[Position] >= (byte)'0' && _buffer[Position] <= (byte)'9')
        {
            var digit = (ulong)(_buffer[Position] - '0');
            if (value > (ulong.MaxValue - digit) / 10)
            {
                throw Reject("number overflow");
            }

            value = (value * 10) + digit;
            Position++;
        }

        if (Position == start || (Position < End && IsAtomByte(_buffer[Position])))
        {
            throw Reject("expected a number");
        }

        return value;
    }

    /// <summary>A quoted string or a literal; NIL gives null. An unquoted atom is rejected.</summary>
    [MethodImpl(WireJit.Hot)]
    internal string? ReadNString()
        => TryNil() ? null : ReadString();

    /// <summary>
    /// A quoted string or a literal as bytes that stay valid until the response is let go (a string with escapes is
    /// copied out of the scratch buffer, which the next read reuses); false for NIL.
    /// </summary>
    [MethodImpl(WireJit.Hot)]
    internal bool TryReadNStringView(out WireBytes value)
    {
        if (TryNil())
        {
            value = default;
            return false;
        }

        var (buffer, offset, length) = ReadStringBytes();
        if (!ReferenceEquals(buffer, _buffer))
        {
            var copy = new byte[length];
            Buffer.BlockCopy(buffer, offset, copy, 0, length);
            buffer = copy;
            offset = 0;
        }

        value = new WireBytes(buffer, offset, length);
        return true;
    }

    /// <summary>Passes over a quoted string, a literal or NIL without making a string of it.</summary>
    [MethodImpl(WireJit.Hot)]
    internal void SkipNString()
    {
        if (!TryNil())
        {
            ReadStringBytes();
        }
    }

    /// <summary>A quoted string or a literal, decoded as MailKit decodes it.</summary>
    [MethodImpl(WireJit.Hot)]
    internal string ReadString()
    {
        var (buffer, offset, length) = ReadStringBytes();
        return WireText.Decode(buffer, offset, length);
    }

    /// <summary>A quoted string or a literal as bytes: a view into the response (or, for a quoted string with escapes, into a scratch buffer).</summary>
    [MethodImpl(WireJit.Hot)]
    internal (byte[] Buffer, int Offset, int Length) ReadStringBytes()
    {
        if (Position >= End)
        {
            throw Reject("expected a string");
        }

        var first = _buffer[Position];
        if (first == (byte)'"')
        {
            return ReadQuoted();
        }

        if (first == (byte)'{' || (first == (byte)'~' && Position + 1 < End && _buffer[Position + 1] == (byte)'{'))
        {
            return ReadLiteral();
        }

        throw Reject("expected a quoted string or a literal");
    }

    /// <summary>Skips one value of any kind (nested lists included), as MailKit skips body extensions.</summary>
    [MethodImpl(WireJit.Hot)]
    internal void SkipValue(int depth)
    {
        if (depth > WireLimits.MaxNesting)
        {
            throw Reject("nesting too deep");
        }

        var b = Peek();
        if (b == (byte)'(')
        {
            Position++;
            SkipSpaces();
            while (Peek() != (byte)')')
            {
                if (AtEnd)
                {
                    throw Reject("unterminated list");
                }

                SkipValue(depth + 1);
                SkipSpaces();
            }

            Position++;
        }
        else if (b == (byte)'"' || b == (byte)'{' || b == (byte)'~')
        {
            ReadStringBytes();
        }
        else
        {
            ReadAtom(); // NIL and numbers are atoms too.
        }
    }

    [MethodImpl(WireJit.Hot)]
    private (byte[] Buffer, int Offset, int Length) ReadQuoted()
    {
        Position++; // the opening quote
        var start = Position;
        var escapes = false;
        while (true)
        {
            if (Position >= End)
            {
                throw Reject("unterminated quoted string");
            }

            var b = _buffer[Position];
            if (b == (byte)'"')
            {
                break;
            }

            if (b == (byte)'\r' || b == (byte)'\n')
            {
                throw Reject("line break inside a quoted string");
            }

            if (b == (byte)'\\')
            {
                escapes = true;
                Position++;
                if (Position >= End)
                {
                    throw Reject("unterminated quoted string");
                }
            }

            Position++;
        }

        var close = Position;
        Position++;

        // MailKit keeps reading when a quote is not followed by a delimiter (servers that forget to escape one):
        // rather than guess which reading is right, let MailKit have it.
        if (Position < End)
        {
            var next = _buffer[Position];
            if (next != (byte)']' && next != (byte)')' && next != (byte)' ')
            {
                throw Reject("quote not followed by a delimiter");
            }
        }

        if (!escapes)
        {
            return (_buffer, start, close - start);
        }

        if (_scratch is null || _scratch.Length < close - start)
        {
            _scratch = new byte[Math.Max(256, close - start)];
        }

        var length = 0;
        for (var i = start; i < close; i++)
        {
            if (_buffer[i] == (byte)'\\')
            {
                i++;
            }

            _scratch[length++] = _buffer[i];
        }

        return (_scratch, 0, length);
    }

    [MethodImpl(WireJit.Hot)]
    private (byte[] Buffer, int Offset, int Length) ReadLiteral()
    {
        TryTake((byte)'~');
        Expect((byte)'{');
        long length = 0;
        var digits = 0;
        while (Position < End && _buffer[Position] >= (byte)'0' && _buffer[Position] <= (byte)'9' && digits < 11)
        {
            length = (length * 10) + (_buffer[Position] - '0');
            Position++;
            digits++;
        }

        if (digits == 0)
        {
            throw Reject("literal without a length");
        }

        TryTake((byte)'+');
        Expect((byte)'}');
        Expect((byte)'\r');
        Expect((byte)'\n');
        if (length > End - Position)
        {
            throw Reject("literal longer than the response");
        }

        var start = Position;
        Position += (int)length;
        return (_buffer, start, (int)length);
    }

    /// <summary>Bytes MailKit reads as part of an atom: printable ASCII except the atom specials and brackets.</summary>
    [MethodImpl(WireJit.Hot)]
    private static bool IsAtomByte(byte b)
        => b > 0x20 && b < 0x7f && b != (byte)'(' && b != (byte)')' && b != (byte)'{' && b != (byte)'"' &&
           b != (byte)'\\' && b != (byte)'%' && b != (byte)'*' && b != (byte)'[' && b != (byte)']';
}
