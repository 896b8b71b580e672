namespace ImapRx.Operations;

/// <summary>How <c>Delete</c> removes messages.</summary>
public sealed class DeleteOptions
{
    /// <summary>
    /// On a server without UIDPLUS, allow a bare EXPUNGE, which also removes every message another client
    /// marked \Deleted in the folder. Without this, deleting there fails with <see cref="System.NotSupportedException"/>.
    /// </summary>
    /// <value>The default is false.</value>
    public bool AllowExpungeOfAllDeleted { get; set; }

    /// <summary>Shared default instance.</summary>
    public static DeleteOptions Default => new();
}
