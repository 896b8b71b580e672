using System;

namespace ImapRx.Sync;

/// <summary>How <c>Sync</c> reports changes.</summary>
public sealed class SyncOptions
{
    private int _batchSize = 500;

    /// <summary>Fetch summaries for arrived messages (in <see cref="Model.MessagesArrived.Messages"/>).</summary>
    /// <value>The default is true.</value>
    public bool IncludeSummaries { get; set; } = true;

    /// <summary>UIDs per <see cref="Model.MessagesArrived"/> event.</summary>
    /// <value>The default is 500; allowed 1 to 10,000.</value>
    public int BatchSize
    {
        get => _batchSize;
        set => _batchSize = value is >= 1 and <= 10_000 ? value : throw new ArgumentOutOfRangeException(nameof(BatchSize), value, "BatchSize must be between 1 and 10000.");
    }

    /// <summary>The checkpoint key; null uses <c>host:port:user/folder</c>.</summary>
    public string? Key { get; set; }
}
