using System;

namespace ImapRx;

/// <summary>
/// Ends an <c>await foreach</c> over a watch
/// (<see cref="ImapRxClientAsyncEnumerableExtensions.EnumerateWatchAsync(IImapRxClient, string, Watching.WatchOptions?, int, System.Threading.CancellationToken)"/>)
/// whose consumer fell more than <see cref="Capacity"/> events behind. A server cannot be asked to hold IDLE
/// notifications back, so instead of growing without limit or dropping events silently, the enumeration delivers
/// every event it buffered and then throws this. Events after that point were not delivered: catch up with
/// <see cref="IImapRxClient.Sync"/> from a checkpoint, or watch again with a faster consumer or a bigger capacity.
/// </summary>
public sealed class ImapWatchOverflowException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public ImapWatchOverflowException(int capacity)
        : base($"The watch consumer fell more than {capacity} events behind the server; the events buffered before this point were all delivered, later ones were not. Catch up with Sync from a checkpoint, or use a larger capacity.")
    {
        Capacity = capacity;
    }

    /// <summary>How many unread events the enumeration was allowed to hold.</summary>
    public int Capacity { get; }
}
