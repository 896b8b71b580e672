using System.Reactive.Linq;
using ImapRx;
using ImapRx.Configuration;
using ImapRx.Samples.MultiAccount;
using ImapRx.Sync;

// Usage: ImapRx.Samples.MultiAccount host user1:password1 user2:password2 ... (TLS on 993).
var clients = args.Skip(1).Select(pair => pair.Split(':', 2))
    .Select(p => new ImapRxClient(new ImapAccountOptions(args[0], p[0], ImapCredential.FromPassword(p[1]))))
    .ToList();
var store = new FileSyncStateStore(Path.Combine(AppContext.BaseDirectory, "checkpoints"));
await MultiAccountSync.SyncInboxes(clients, store).ForEachAsync(c => Console.WriteLine($"{c.Account}: {c.Change}"));
