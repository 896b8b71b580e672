using System;

namespace ImapRx;

/// <summary>
/// The folder's UIDVALIDITY changed while an operation depended on it: the UIDs it held belong to a folder
/// that no longer exists. Start over (a <c>Sync</c> does this for you).
/// </summary>
public sealed class ImapUidValidityChangedException : ImapRxException
{
    /// <summary>Creates the exception.</summary>
    public ImapUidValidityChangedException(string folder, uint oldValue, uint newValue)
        : base(ImapErrorKind.UidValidityChanged, $"The UIDVALIDITY of '{folder}' changed from {oldValue} to {newValue}; its old UIDs are void. Start the operation again.", null)
    {
        Folder = folder;
        OldValue = oldValue;
        NewValue = newValue;
    }

    /// <summary>The folder.</summary>
    public string Folder { get; }

    /// <summary>The UIDVALIDITY the operation started with.</summary>
    public uint OldValue { get; }

    /// <summary>The UIDVALIDITY the server has now.</summary>
    public uint NewValue { get; }
}
