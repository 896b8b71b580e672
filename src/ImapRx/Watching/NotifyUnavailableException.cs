using System;

namespace ImapRx.Watching;

/// <summary>
/// The server has no NOTIFY, or refused this one: the multi-folder watch falls back to one IDLE connection per
/// folder (for every later watch of the client only in the first case).
/// </summary>
internal sealed class NotifyUnavailableException : Exception
{
    internal NotifyUnavailableException()
        : base("The server does not offer NOTIFY (RFC 5465).")
    {
        ServerHasNoNotify = true;
    }

    internal NotifyUnavailableException(Exception refusal)
        : base("The server refused NOTIFY for these folders: " + refusal.Message, refusal)
    {
    }

    internal bool ServerHasNoNotify { get; }
}
