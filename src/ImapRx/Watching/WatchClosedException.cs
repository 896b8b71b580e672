using System;

namespace ImapRx.Watching;

/// <summary>The watcher left because its client is being disposed: not a failure; the watch completes.</summary>
internal sealed class WatchClosedException : Exception
{
    internal WatchClosedException()
        : base("The client was disposed.")
    {
    }
}
