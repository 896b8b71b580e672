using MailKit;

namespace ImapRx.Mailbox;

/// <summary>What one resynchronisation reported, and the folder it left open.</summary>
internal readonly record struct ResyncResult(IMailFolder Folder, int Arrived, int Expunged, int FlagChanges, bool UidValidityChanged);
