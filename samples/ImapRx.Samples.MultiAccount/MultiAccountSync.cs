using System.Reactive.Linq;
using ImapRx.Model;
using ImapRx.Sync;

namespace ImapRx.Samples.MultiAccount;

/// <summary>Inbox changes of many accounts, at most <c>maxConcurrent</c> syncing at any moment.</summary>
public static class MultiAccountSync
{
    // begin-snippet: multi-account
    public static IObservable<(string Account, MailboxEvent Change)> SyncInboxes(IEnumerable<IImapRxClient> accounts, ISyncStateStore checkpoints, int maxConcurrent = 4)
        => accounts.ToObservable()
            .Select(mail => mail.Sync("INBOX", checkpoints).Select(change => (mail.Account.Username, change)))
            .Merge(maxConcurrent); // each Sync is cold: it starts (and takes a connection) only when Merge subscribes
    // end-snippet
}
