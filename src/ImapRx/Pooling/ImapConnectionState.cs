namespace ImapRx.Pooling;

/// <summary>The life of one connection (the spec's connection states).</summary>
internal enum ImapConnectionState
{
    /// <summary>Not connected (yet, or any more).</summary>
    Disconnected,

    /// <summary>Opening the socket, TLS and logging in.</summary>
    Connecting,

    /// <summary>Logged in, no folder selected.</summary>
    Authenticated,

    /// <summary>A folder is selected.</summary>
    Selected,

    /// <summary>In IDLE, waiting for the server to push changes.</summary>
    Idle,

    /// <summary>Broken; it will be thrown away, never reused.</summary>
    Error,
}
