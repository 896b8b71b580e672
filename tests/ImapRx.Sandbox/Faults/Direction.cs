namespace ImapRx.Sandbox.Faults;

/// <summary>Which way bytes flow through a <see cref="FaultProxy"/>.</summary>
[Flags]
#pragma warning disable CA1008 // No "None": a fault always applies to at least one direction.
public enum Direction
#pragma warning restore CA1008
{
    /// <summary>From the client (the side that connected to the proxy) to the server (the target).</summary>
    ClientToServer = 1,

    /// <summary>From the server to the client.</summary>
    ServerToClient = 2,

    /// <summary>Both ways; accepted only by faults that say so (stall, delay).</summary>
    Both = ClientToServer | ServerToClient,
}
