using System.Reactive;
using System.Runtime.CompilerServices;
using ImapRx.Configuration;
using ImapRx.Fetching;
using ImapRx.Model;
using ImapRx.Operations;
using ImapRx.Sync;
using ImapRx.Watching;
using MailKit.Search;
using MimeKit;

namespace ImapRx.Tests.Samples;

// begin-snippet: fake-client
/// <summary>
/// A fake <see cref="IImapRxClient"/> for tests of your own code: derive from it and override the members your code
/// calls, returning observables from a TestScheduler. Every other member throws at call time, naming itself, so a
/// test never passes by silently getting nothing.
/// </summary>
public abstract class FakeImapRxClient : IImapRxClient
{
    public virtual ImapAccountOptions Account { get; } = new("imap.example.com", "fake", ImapCredential.FromPassword("unused"));
    public virtual IObservable<MailFolderInfo> Folders(FolderListOptions? options = null) => Missing<MailFolderInfo>();
    public virtual IObservable<MailFolderInfo> Folder(string folder) => Missing<MailFolderInfo>();
    public virtual IObservable<IReadOnlyList<MailMessageInfo>> MessageBatches(string folder, FetchOptions? options = null) => Missing<IReadOnlyList<MailMessageInfo>>();
    public virtual IObservable<MailMessageInfo> Messages(string folder, FetchOptions? options = null) => Missing<MailMessageInfo>();
    public virtual IObservable<MailMessageContent> MessageContents(string folder, FetchOptions? options = null) => Missing<MailMessageContent>();
    public virtual IObservable<MimeMessage> MimeMessage(string folder, uint uid) => Missing<MimeMessage>();
    public virtual IObservable<long> SaveMessage(string folder, uint uid, Stream destination) => Missing<long>();
    public virtual IObservable<uint> Search(string folder, SearchQuery query) => Missing<uint>();
    public virtual IObservable<uint> Search(string folder, string criteria) => Missing<uint>();
    public virtual IObservable<Unit> StoreFlags(string folder, IReadOnlyCollection<uint> uids, FlagChange change) => Missing<Unit>();
    public virtual IObservable<IReadOnlyDictionary<uint, uint>> Copy(string folder, IReadOnlyCollection<uint> uids, string destination) => Missing<IReadOnlyDictionary<uint, uint>>();
    public virtual IObservable<IReadOnlyDictionary<uint, uint>> Move(string folder, IReadOnlyCollection<uint> uids, string destination) => Missing<IReadOnlyDictionary<uint, uint>>();
    public virtual IObservable<uint?> Append(string folder, MimeMessage message, MailFlags flags = MailFlags.None, DateTimeOffset? internalDate = null) => Missing<uint?>();
    public virtual IObservable<Unit> Delete(string folder, IReadOnlyCollection<uint> uids, DeleteOptions? options = null) => Missing<Unit>();
    public virtual IObservable<MailboxEvent> Watch(string folder, WatchOptions? options = null) => Missing<MailboxEvent>();
    public virtual IObservable<MailboxEvent> Watch(IReadOnlyCollection<string> folders, WatchOptions? options = null) => Missing<MailboxEvent>();
    public virtual IObservable<MailboxEvent> Sync(string folder, ISyncStateStore store, SyncOptions? options = null) => Missing<MailboxEvent>();
    public virtual ValueTask DisposeAsync() => default;

    private static IObservable<T> Missing<T>([CallerMemberName] string member = "")
        => throw new NotSupportedException($"{member} is not faked; override it in your {nameof(FakeImapRxClient)}.");
}
// end-snippet
