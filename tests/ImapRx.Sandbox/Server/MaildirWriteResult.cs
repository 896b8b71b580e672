namespace ImapRx.Sandbox.Server;

/// <summary>What <see cref="MaildirWriter.WriteAsync"/> did, with timings for the benchmark's notes.</summary>
public sealed class MaildirWriteResult
{
    internal MaildirWriteResult(string folder, string directory, int count, long bytes, TimeSpan writeDuration, TimeSpan indexDuration)
    {
        Folder = folder;
        Directory = directory;
        Count = count;
        Bytes = bytes;
        WriteDuration = writeDuration;
        IndexDuration = indexDuration;
    }

    /// <summary>Gets the IMAP folder name.</summary>
    public string Folder { get; }

    /// <summary>Gets the folder's Maildir directory.</summary>
    public string Directory { get; }

    /// <summary>Gets the number of messages written.</summary>
    public int Count { get; }

    /// <summary>Gets the total size of the message files.</summary>
    public long Bytes { get; }

    /// <summary>Gets the time spent writing files.</summary>
    public TimeSpan WriteDuration { get; }

    /// <summary>Gets the time <c>doveadm index</c> took.</summary>
    public TimeSpan IndexDuration { get; }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Count} messages ({Bytes / 1024} KB) into {Folder}: write {WriteDuration.TotalMilliseconds:F0} ms, index {IndexDuration.TotalMilliseconds:F0} ms";
}
