namespace ImapRx.Sandbox.Faults;

/// <summary>One thing that happened in a <see cref="FaultProxy"/>.</summary>
/// <param name="Sequence">Increases by one per event, in the order the events were published.</param>
/// <param name="Kind">What happened.</param>
/// <param name="ConnectionId">The connection (1, 2, ... in accept order); 0 for proxy-wide events.</param>
/// <param name="Direction">The direction concerned, when there is one.</param>
/// <param name="ByteOffset">
/// For per-direction events, how many bytes the connection had forwarded in <paramref name="Direction"/> when it
/// happened (for a cut: exactly what the receiving side got, not counting injected bytes); otherwise 0.
/// </param>
/// <param name="Detail">A short human-readable description.</param>
public sealed record FaultEvent(
    long Sequence,
    FaultEventKind Kind,
    int ConnectionId,
    Direction? Direction,
    long ByteOffset,
    string Detail);
