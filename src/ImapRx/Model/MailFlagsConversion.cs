using MailKit;

namespace ImapRx.Model;

/// <summary>Between ImapRx's <see cref="MailFlags"/> and MailKit's <see cref="MessageFlags"/> (the same bits for the five system flags).</summary>
internal static class MailFlagsConversion
{
    private const MessageFlags SystemFlags = MessageFlags.Seen | MessageFlags.Answered | MessageFlags.Flagged | MessageFlags.Deleted | MessageFlags.Draft;

    internal static MessageFlags ToMailKit(this MailFlags flags) => (MessageFlags)(int)flags & SystemFlags;

    internal static MailFlags ToMailFlags(this MessageFlags flags) => (MailFlags)(int)(flags & SystemFlags);
}
