namespace ImapRx.Wire;

/// <summary>Bounds that keep hostile input from exhausting the stack.</summary>
internal static class WireLimits
{
    /// <summary>Deeper nesting than this (body parts, lists) is rejected to the MailKit path.</summary>
    internal const int MaxNesting = 64;
}
