namespace ImapRx.Sandbox.Faults;

/// <summary>How far one connection's pump has come towards one <see cref="FaultRule"/>'s trigger.</summary>
internal sealed class RuleProgress
{
    private readonly BytePatternMatcher? _matcher;
    private long _remaining;

    internal RuleProgress(FaultRule rule)
    {
        Rule = rule;
        if (rule.ByteCount is { } count)
        {
            _remaining = count;
        }
        else
        {
            _matcher = new BytePatternMatcher([.. rule.Pattern]);
        }
    }

    internal FaultRule Rule { get; }

    /// <summary>Gets or sets whether the rule has triggered (or lost the race to fire) on this connection.</summary>
    internal bool Done { get; set; }

    /// <summary>Advances over a chunk; returns how many of its bytes to forward before cutting, or -1 to forward it all.</summary>
    internal int Advance(ReadOnlySpan<byte> chunk)
    {
        if (Done)
        {
            return -1;
        }

        int cutAt;
        if (_matcher is not null)
        {
            cutAt = _matcher.Feed(chunk);
        }
        else if (_remaining <= chunk.Length)
        {
            cutAt = (int)_remaining;
        }
        else
        {
            _remaining -= chunk.Length;
            cutAt = -1;
        }

        Done = cutAt >= 0;
        return cutAt;
    }
}
