using System;

namespace ImapRx.Wire;

/// <summary>
/// The reader met something it cannot prove it understood exactly as MailKit would. Never leaves the Wire
/// namespace: the batch is fetched again through MailKit.
/// </summary>
internal sealed class WireRejectedException : Exception
{
    internal WireRejectedException(string reason)
        : base(reason)
    {
    }
}
