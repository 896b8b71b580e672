namespace ImapRx.Sandbox.Faults;

/// <summary>What a <see cref="FaultEvent"/> reports.</summary>
public enum FaultEventKind
{
    /// <summary>A client connection was accepted and its upstream connection to the target is up.</summary>
    ConnectionOpened,

    /// <summary>An opened connection ended; <see cref="FaultEvent.Detail"/> says whether it closed or was aborted.</summary>
    ConnectionClosed,

    /// <summary>A client was accepted but the target could not be reached; the client was reset.</summary>
    UpstreamConnectFailed,

    /// <summary>A new connection was accepted and reset at once because <see cref="FaultProxy.ResetNewConnections"/> is on.</summary>
    ConnectionReset,

    /// <summary>A connection was cut (by <see cref="FaultProxy.CutAll"/> or a <see cref="FaultRule"/>).</summary>
    Cut,

    /// <summary><see cref="FaultProxy.Stall"/> was called.</summary>
    StallStarted,

    /// <summary>A connection received a chunk while stalled and is holding it (the stall really took effect).</summary>
    StallHeld,

    /// <summary><see cref="FaultProxy.Resume"/> was called.</summary>
    Resumed,

    /// <summary>A chunk was held back by <see cref="FaultProxy.Delay"/>.</summary>
    Delayed,

    /// <summary>Bytes were injected into a connection by <see cref="FaultProxy.InjectGarbageAsync"/>.</summary>
    GarbageInjected,

    /// <summary>The listener stopped: connecting to the port is refused.</summary>
    RefusingStarted,

    /// <summary>The listener listens again on the same port.</summary>
    RefusingStopped,

    /// <summary>A <see cref="FaultProxy.HoldOnPattern(Direction, string, TimeSpan, FaultScope)"/> rule held a chunk; published when the hold starts.</summary>
    Held,

    /// <summary>A <see cref="RewriteRule"/> replaced its pattern in a chunk (once per chunk, however many occurrences).</summary>
    Rewritten,
}
