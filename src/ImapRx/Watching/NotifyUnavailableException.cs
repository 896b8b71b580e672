using System;

namespace ImapRx.Watching;

/// <summary>The server has no NOTIFY: the multi-folder watch falls back to one IDLE connection per folder.</summary>
internal sealed class NotifyUnavailableException : Exception
{
    internal NotifyUnavailableException()
        : base("The server does not offer NOTIFY (RFC 5465).")
    {
    }
}
