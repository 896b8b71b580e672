using System.Text;

namespace ImapRx.Sandbox.Faults;

/// <summary>
/// An armed cut: fires when a connection has forwarded a number of bytes in one direction, or right after a byte
/// pattern has passed. Returned by <see cref="FaultProxy.CutAfterBytes"/> and <see cref="FaultProxy.CutOnPattern(Direction, string, FaultScope)"/>.
/// </summary>
/// <remarks>
/// A rule applies to the connections open when it is armed (counting and matching from the next chunk they
/// move in its direction) and to every connection opened later (from their first byte).
/// </remarks>
public sealed class FaultRule
{
    private readonly Action<FaultRule> _disarm;
    private readonly TaskCompletionSource<int> _firstFired = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _claimed;
    private int _firedCount;
    private int _armed = 1;

    internal FaultRule(Direction direction, FaultScope scope, long? byteCount, byte[]? pattern, Action<FaultRule> disarm, TimeSpan? holdFor = null)
    {
        Direction = direction;
        Scope = scope;
        ByteCount = byteCount;
        Pattern = pattern ?? [];
        HoldFor = holdFor;
        _disarm = disarm;
        var what = byteCount is { } count
            ? $"after {count} bytes"
            : $"after pattern '{Printable(Pattern)}'";
        Description = holdFor is { } hold
            ? $"hold {hold.TotalMilliseconds} ms the chunk ending pattern '{Printable(Pattern)}' {direction} ({scope})"
            : $"cut {what} {direction} ({scope})";
    }

    /// <summary>Gets the direction whose bytes are counted or matched.</summary>
    public Direction Direction { get; }

    /// <summary>Gets how often the rule fires.</summary>
    public FaultScope Scope { get; }

    /// <summary>Gets the byte count that triggers the cut, or null for a pattern rule.</summary>
    public long? ByteCount { get; }

    /// <summary>Gets the pattern that triggers the cut; empty for a byte-count rule.</summary>
    public IReadOnlyList<byte> Pattern { get; }

    /// <summary>
    /// Gets how long the chunk that completes the pattern is held before it is forwarded, for a rule made by
    /// <see cref="FaultProxy.HoldOnPattern(Direction, string, TimeSpan, FaultScope)"/>; null for a cut.
    /// </summary>
    public TimeSpan? HoldFor { get; }

    /// <summary>Gets a description such as "cut after 100 bytes ServerToClient (Once)".</summary>
    public string Description { get; }

    /// <summary>Gets how many connections this rule has cut (or held).</summary>
    public int FiredCount => Volatile.Read(ref _firedCount);

    /// <summary>Gets whether the rule can still fire.</summary>
    public bool IsArmed => Volatile.Read(ref _armed) == 1;

    /// <summary>Gets a task that completes with the connection id the first time the rule fires.</summary>
    public Task<int> WhenFired => _firstFired.Task;

    /// <summary>Stops the rule from firing again. Connections it already cut stay cut.</summary>
    public void Disarm()
    {
        if (Interlocked.Exchange(ref _armed, 0) == 1)
        {
            _disarm(this);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Description;

    // Two connections can reach a Once rule's trigger at the same moment; exactly one of them may fire it.
    internal bool TryClaim()
    {
        if (!IsArmed)
        {
            return false;
        }

        if (Scope == FaultScope.Once)
        {
            if (Interlocked.CompareExchange(ref _claimed, 1, 0) != 0)
            {
                return false;
            }

            Disarm();
        }

        return true;
    }

    internal void OnFired(int connectionId)
    {
        Interlocked.Increment(ref _firedCount);
        _firstFired.TrySetResult(connectionId);
    }

    private static string Printable(IReadOnlyList<byte> bytes)
    {
        var text = new StringBuilder(bytes.Count);
        foreach (var b in bytes)
        {
            text.Append(b is >= 0x20 and < 0x7F ? (char)b : $"\\x{b:X2}");
        }

        return text.ToString();
    }
}
