using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using System.Runtime.CompilerServices;

namespace ImapRx.Wire;

/// <summary>
/// Frames a server's byte stream into whole responses: a line, and for every <c>{n}</c>, <c>{n+}</c> or
/// <c>~{n}</c> at a line's end, the next n bytes and the rest of the response after them. One buffer that grows to
/// the largest response seen (a literal has no 4,096-byte limit here, only <see cref="MaxResponseBytes"/>), read
/// with as few reads as the socket allows, no allocation per response.
/// </summary>
internal sealed class WireResponseReader
{
    /// <summary>A response larger than this is a broken or hostile stream, not mail.</summary>
    internal const int MaxResponseBytes = 1 << 30;

    private const int InitialBufferBytes = 64 * 1024;

    private readonly Stream _stream;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private int _scan;
    private int _consumed;

    internal WireResponseReader(Stream stream, int initialBufferBytes = InitialBufferBytes)
    {
        _stream = stream ?? throw new ArgumentNullException(nameof(stream));
        _buffer = new byte[Math.Max(16, initialBufferBytes)];
    }

    /// <summary>Bytes currently held by the buffer (its capacity), for memory checks.</summary>
    internal int BufferCapacity => _buffer.Length;

    /// <summary>Reads the next complete response. The previous one's bytes may be overwritten.</summary>
    internal async ValueTask<WireResponse> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryRead(out var response))
            {
                return response;
            }

            await FillAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Takes the next complete response when the buffer already holds it, without reading; false when more bytes are
    /// needed (<see cref="FillAsync"/>). The previous response's bytes may be overwritten.
    /// </summary>
    [MethodImpl(WireJit.Hot)]
    internal bool TryRead(out WireResponse response)
    {
        // Let go of the previous response.
        _start += _consumed;
        _consumed = 0;
        _scan = Math.Max(_scan, _start);
        if (TryFrame(out var length))
        {
            _consumed = length + 2;
            _scan = _start + _consumed;
            response = new WireResponse(_buffer, _start, length);
            return true;
        }

        response = default;
        return false;
    }

    /// <summary>Finds the end of the response starting at <see cref="_start"/>; <see cref="_scan"/> keeps the progress between reads.</summary>
    [MethodImpl(WireJit.Hot)]
    private bool TryFrame(out int length)
    {
        while (_scan < _end)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _scan, _end - _scan);
            if (newline < 0)
            {
                _scan = _end;
                break;
            }

            if (newline == _start || _buffer[newline - 1] != (byte)'\r')
            {
                throw new WireProtocolException("The server sent a line that does not end in CRLF.");
            }

            var literal = LiteralLengthBefore(newline - 1);
            if (literal < 0)
            {
                length = newline - 1 - _start;
                return true;
            }

            if ((long)newline + 1 + literal - _start > MaxResponseBytes)
            {
                throw new WireProtocolException($"The server announced a literal of {literal} bytes; at most {MaxResponseBytes} are accepted.");
            }

            // Scanning resumes after the literal, never inside it (its bytes may hold CRLFs), even when the literal
            // is still on its way: _scan then points past _end until the reads catch up.
            var afterLiteral = newline + 1 + (int)literal;
            if (afterLiteral > _end)
            {
                var relative = afterLiteral - _start;
                EnsureRoom(relative + 2); // may move the bytes to the front: positions are relative to _start
                _scan = _start + relative;
                length = 0;
                return false;
            }

            _scan = afterLiteral;
        }

        length = 0;
        return false;
    }

    /// <summary>The n of a <c>{n}</c> / <c>{n+}</c> ending at <paramref name="carriageReturn"/>, or -1 when the line has none.</summary>
    [MethodImpl(WireJit.Hot)]
    private long LiteralLengthBefore(int carriageReturn)
    {
        var i = carriageReturn - 1;
        if (i < _start || _buffer[i] != (byte)'}')
        {
            return -1;
        }

        i--;
        if (i >= _start && _buffer[i] == (byte)'+')
        {
            i--;
        }

        var lastDigit = i;
        while (i >= _start && _buffer[i] >= (byte)'0' && _buffer[i] <= (byte)'9')
        {
            i--;
        }

        if (i == lastDigit || i < _start || _buffer[i] != (byte)'{' || lastDigit - i > 10)
        {
            return -1;
        }

        long value = 0;
        for (var d = i + 1; d <= lastDigit; d++)
        {
            value = (value * 10) + (_buffer[d] - '0');
        }

        return value;
    }

    /// <summary>Reads more bytes from the stream (at least one); the server closing the connection is an error.</summary>
    internal async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_buffer.Length - _end < _buffer.Length / 4)
        {
            // Less than a quarter free at the end: move the partial response to the front first, so each read can
            // take a large piece of what the socket holds rather than the last few bytes of the buffer.
            EnsureRoom(_end - _start + 1);
        }

        var read = await _stream.ReadAsync(_buffer, _end, _buffer.Length - _end, cancellationToken).ConfigureAwait(false);
        if (read <= 0)
        {
            throw new WireProtocolException("The server closed the connection in the middle of a response.");
        }

        _end += read;
    }

    /// <summary>Makes room for <paramref name="bytes"/> from <see cref="_start"/>: moves the pending bytes to the front, then grows.</summary>
    [MethodImpl(WireJit.Hot)]
    private void EnsureRoom(int bytes)
    {
        if (bytes > MaxResponseBytes + 2)
        {
            throw new WireProtocolException($"A response of more than {MaxResponseBytes} bytes is not accepted.");
        }

        if (_start > 0)
        {
            var pending = _end - _start;
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
            _scan -= _start;
            _end = pending;
            _start = 0;
        }

        if (bytes > _buffer.Length)
        {
            var size = _buffer.Length;
            while (size < bytes)
            {
                size = size > MaxResponseBytes / 2 ? MaxResponseBytes + 2 : size * 2;
            }

            Array.Resize(ref _buffer, size);
        }
    }
}
