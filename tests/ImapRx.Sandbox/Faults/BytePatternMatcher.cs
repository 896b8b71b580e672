namespace ImapRx.Sandbox.Faults;

/// <summary>
/// Finds a byte pattern in a stream fed chunk by chunk (Knuth-Morris-Pratt), so a pattern split across two
/// reads is still found, without holding back any bytes.
/// </summary>
internal sealed class BytePatternMatcher
{
    private readonly byte[] _pattern;
    private readonly int[] _fallback;
    private int _matched;

    internal BytePatternMatcher(byte[] pattern)
    {
        if (pattern.Length == 0)
        {
            throw new ArgumentException("The pattern must not be empty.", nameof(pattern));
        }

        _pattern = pattern;
        _fallback = new int[pattern.Length];
        for (int i = 1, k = 0; i < pattern.Length; i++)
        {
            while (k > 0 && pattern[i] != pattern[k])
            {
                k = _fallback[k - 1];
            }

            if (pattern[i] == pattern[k])
            {
                k++;
            }

            _fallback[i] = k;
        }
    }

    /// <summary>Feeds the next chunk; returns the index just past the pattern's last byte, or -1 if it has not ended in this chunk.</summary>
    internal int Feed(ReadOnlySpan<byte> chunk)
    {
        for (var i = 0; i < chunk.Length; i++)
        {
            while (_matched > 0 && chunk[i] != _pattern[_matched])
            {
                _matched = _fallback[_matched - 1];
            }

            if (chunk[i] == _pattern[_matched])
            {
                _matched++;
            }

            if (_matched == _pattern.Length)
            {
                _matched = _fallback[_matched - 1];
                return i + 1;
            }
        }

        return -1;
    }
}
