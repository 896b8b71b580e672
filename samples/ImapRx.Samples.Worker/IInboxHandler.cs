using ImapRx.Model;

namespace ImapRx.Samples.Worker;

/// <summary>What the application does with each change (index it, notify someone, ...).</summary>
public interface IInboxHandler
{
    void Handle(MailboxEvent change);
}
