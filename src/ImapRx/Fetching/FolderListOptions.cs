namespace ImapRx.Fetching;

/// <summary>Which folders <c>Folders()</c> lists.</summary>
public sealed class FolderListOptions
{
    /// <summary>Only subscribed folders.</summary>
    /// <value>The default is false: every folder.</value>
    public bool SubscribedOnly { get; set; }

    /// <summary>Read message counts, UIDVALIDITY and UIDNEXT (LIST-STATUS in one round trip where the server has it).</summary>
    /// <value>The default is true.</value>
    public bool IncludeCounts { get; set; } = true;

    /// <summary>Shared default instance.</summary>
    public static FolderListOptions Default => new();
}
