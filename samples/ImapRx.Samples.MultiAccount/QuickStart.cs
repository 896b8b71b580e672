using System.Reactive.Linq;
using ImapRx.Configuration;
using ImapRx.Model;

namespace ImapRx.Samples.MultiAccount;

/// <summary>The README's quick start, compiled here and run by a test against the sandbox server.</summary>
public static class QuickStart
{
    public static ImapAccountOptions Account(string password)
    {
        // begin-snippet: account
        var account = new ImapAccountOptions("imap.example.com", "ann@example.com", ImapCredential.FromPassword(password))
        {
            Encryption = ImapEncryption.Tls, // the default: port 993, certificate validated
            MaxConnections = 3,
        };
        // end-snippet
        return account;
    }

    public static async Task<List<string>> RunAsync(ImapAccountOptions account, Func<Task> appendSomething)
    {
        var lines = new List<string>();
        // begin-snippet: quickstart
        await using var mail = new ImapRxClient(account);

        foreach (var folder in await mail.GetFoldersAsync())
        {
            lines.Add($"{folder.FullName}: {folder.UnreadCount}/{folder.TotalCount} unread");
        }

        var unseen = await mail.Search("INBOX", "UNSEEN SINCE 1-Jan-2026").ToList();
        foreach (var message in await mail.Messages("INBOX", new() { Uids = unseen.ToArray(), Limit = 10 }).ToList())
        {
            lines.Add($"{message.Uid} {message.From}: {message.Subject}");
        }

        using var live = mail.Watch("INBOX")
            .OfType<MessagesArrived>()
            .Subscribe(arrived => lines.Add($"{arrived.Uids.Count} new message(s)"));
        // end-snippet
        await mail.Watch("INBOX").OfType<WatchIdling>().FirstAsync();
        await appendSomething();
        await mail.Watch("INBOX").OfType<MessagesArrived>().FirstAsync().Timeout(TimeSpan.FromSeconds(30));
        return lines;
    }
}
