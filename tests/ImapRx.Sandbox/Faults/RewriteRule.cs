using System.Text;

namespace ImapRx.Sandbox.Faults;

/// <summary>
/// An armed rewrite: every occurrence of a byte pattern in a chunk moving in one direction is replaced before the
/// chunk is forwarded, on every connection, until <see cref="Disarm"/>. Made by <see cref="FaultProxy.Rewrite(Direction, string, string)"/>.
/// </summary>
/// <remarks>
/// The pattern must arrive within one read to be found (a line a server writes in one go does; the greeting and
/// the CAPABILITY lines of Dovecot do). A chunk that grows by the replacement is forwarded whole.
/// </remarks>
public sealed class RewriteRule
{
    private readonly Action<RewriteRule> _disarm;
    private readonly byte[] _pattern;
    private readonly byte[] _replacement;
    private int _rewrittenChunks;
    private int _armed = 1;

    internal RewriteRule(Direction direction, byte[] pattern, byte[] replacement, Action<RewriteRule> disarm)
    {
        Direction = direction;
        _pattern = pattern;
        _replacement = replacement;
        _disarm = disarm;
        Description = $"rewrite '{Encoding.UTF8.GetString(pattern)}' to '{Encoding.UTF8.GetString(replacement)}' {direction}";
    }

    /// <summary>Gets the direction whose chunks are rewritten.</summary>
    public Direction Direction { get; }

    /// <summary>Gets a description such as "rewrite ' STARTTLS' to '' ServerToClient".</summary>
    public string Description { get; }

    /// <summary>Gets how many chunks had the pattern replaced.</summary>
    public int RewrittenCount => Volatile.Read(ref _rewrittenChunks);

    /// <summary>Gets whether the rule still rewrites.</summary>
    public bool IsArmed => Volatile.Read(ref _armed) == 1;

    /// <summary>Stops rewriting. Chunks already forwarded stay as they were sent.</summary>
    public void Disarm()
    {
        if (Interlocked.Exchange(ref _armed, 0) == 1)
        {
            _disarm(this);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Description;

    /// <summary>Returns the chunk with every occurrence replaced, or null when the pattern is not in it.</summary>
    internal byte[]? Apply(ReadOnlySpan<byte> chunk)
    {
        var at = chunk.IndexOf(_pattern);
        if (at < 0 || !IsArmed)
        {
            return null;
        }

        var output = new List<byte>(chunk.Length + _replacement.Length);
        while (at >= 0)
        {
            output.AddRange(chunk[..at].ToArray());
            output.AddRange(_replacement);
            chunk = chunk[(at + _pattern.Length)..];
            at = chunk.IndexOf(_pattern);
        }

        output.AddRange(chunk.ToArray());
        Interlocked.Increment(ref _rewrittenChunks);
        return [.. output];
    }
}
