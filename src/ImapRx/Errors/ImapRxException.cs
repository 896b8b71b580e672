using System;

namespace ImapRx;

/// <summary>
/// The base of every failure ImapRx reports about the server or the connection. Its <see cref="Kind"/> says what
/// happened; <see cref="IsTransient"/> and <see cref="BreaksConnection"/> follow from the kind, decided in one
/// place, so your own retry logic can agree with ImapRx's: retry exactly when <see cref="IsTransient"/> is true.
/// Argument errors stay <see cref="ArgumentException"/>s and cancellation stays <see cref="OperationCanceledException"/>.
/// </summary>
public abstract class ImapRxException : Exception
{
    /// <summary>Creates the exception.</summary>
    protected ImapRxException(ImapErrorKind kind, string message, Exception? innerException)
        : base(message, innerException)
    {
        Kind = kind;
    }

    /// <summary>What kind of failure this is.</summary>
    public ImapErrorKind Kind { get; }

    /// <summary>True when another attempt may succeed (ImapRx retries these with backoff).</summary>
    public bool IsTransient => ImapErrors.IsTransient(Kind);

    /// <summary>True when the connection it happened on can no longer be trusted and was discarded, not pooled.</summary>
    public bool BreaksConnection => ImapErrors.BreaksConnection(Kind);
}
