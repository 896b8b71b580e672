using MailKit;

namespace ImapRx.Mailbox;

/// <summary>What the SELECT/EXAMINE (or the open folder) says about a folder right before its changes are read.</summary>
internal readonly record struct MailboxSnapshot(uint UidValidity, uint UidNext, ulong HighestModSeq, int Count, bool HasModSeq)
{
    internal static MailboxSnapshot Of(IMailFolder folder)
        => new(folder.UidValidity, folder.UidNext?.Id ?? 0, folder.HighestModSeq, folder.Count, folder.Supports(FolderFeature.ModSequences) && folder.HighestModSeq > 0);
}
