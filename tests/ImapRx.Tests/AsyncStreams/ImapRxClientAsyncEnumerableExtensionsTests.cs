using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Reflection;
using ImapRx.Fetching;
using ImapRx.Model;

namespace ImapRx.Tests.AsyncStreams;

/// <summary>
/// The pull forms over a fake <see cref="IImapRxClient"/> (a hot watch cannot be held back; a fake shows exactly
/// what the enumeration does when its consumer falls behind) and their argument checks.
/// </summary>
public sealed class ImapRxClientAsyncEnumerableExtensionsTests
{
    [Fact]
    public async Task EnumerateWatchAsync_ConsumerFallsBehindTheCapacity_ReadsEveryBufferedEventThenOverflows()
    {
        var watch = new Subject<MailboxEvent>();
        var client = FakeClient.Create(watch);
        await using var events = client.EnumerateWatchAsync("INBOX", capacity: 3).GetAsyncEnumerator();

        var first = events.MoveNextAsync(); // subscribes
        watch.OnNext(Expunged(1));
        Assert.True(await first);
        for (uint uid = 2; uid <= 6; uid++)
        {
            watch.OnNext(Expunged(uid)); // 2, 3, 4 fit; 5 overflows; 6 arrives after the watch was left
        }

        Assert.False(watch.HasObservers);
        var read = new List<uint> { ((MessagesExpunged)events.Current).Uids[0] };
        var overflow = await Assert.ThrowsAsync<ImapWatchOverflowException>(async () =>
        {
            while (await events.MoveNextAsync())
            {
                read.Add(((MessagesExpunged)events.Current).Uids[0]);
            }
        });

        Assert.Equal(new uint[] { 1, 2, 3, 4 }, read);
        Assert.Equal(3, overflow.Capacity);
    }

    [Fact]
    public async Task EnumerateWatchAsync_LoopLeft_UnsubscribesFromTheSharedWatch()
    {
        var watch = new Subject<MailboxEvent>();
        var client = FakeClient.Create(watch);
        var seen = 0;

        var loop = Task.Run(async () =>
        {
            await foreach (var _ in client.EnumerateWatchAsync(new[] { "INBOX", "Archive" }))
            {
                if (++seen == 2)
                {
                    break;
                }
            }
        });
        while (!watch.HasObservers)
        {
            await Task.Delay(10);
        }

        watch.OnNext(Expunged(1));
        watch.OnNext(Expunged(2));
        await loop;

        Assert.Equal(2, seen);
        Assert.False(watch.HasObservers);
    }

    [Fact]
    public void EnumerateWatchAsync_CapacityBelowOne_ThrowsAtCallTime()
    {
        var client = FakeClient.Create(new Subject<MailboxEvent>());

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => client.EnumerateWatchAsync("INBOX", capacity: 0));

        Assert.Equal("capacity", error.ParamName);
    }

    [Fact]
    public async Task EnumerateMessagesAsync_FakeClient_ReadsItsObservable()
    {
        var client = FakeClient.Create(new Subject<MailboxEvent>());
        var uids = new List<uint>();

        await foreach (var message in client.EnumerateMessagesAsync("INBOX"))
        {
            uids.Add(message.Uid);
        }

        Assert.Equal(new uint[] { 1, 2, 3 }, uids);
    }

    [Fact]
    public void EnumerateMessagesAsync_NullClientOrFolder_ThrowAtCallTime()
    {
        Assert.Throws<ArgumentNullException>(() => ImapRxClientAsyncEnumerableExtensions.EnumerateMessagesAsync(null!, "INBOX"));
        Assert.Throws<ArgumentNullException>(() => FakeClient.Create(new Subject<MailboxEvent>()).EnumerateMessageContentsAsync(null!));
    }

    private static MessagesExpunged Expunged(uint uid) => new() { Folder = "INBOX", Uids = new[] { uid } };

    /// <summary>An <see cref="IImapRxClient"/> that answers Watch with a subject and MessageBatches with three messages.</summary>
    public class FakeClient : DispatchProxy
    {
        private IObservable<MailboxEvent> _watch = Observable.Never<MailboxEvent>();

        internal static IImapRxClient Create(IObservable<MailboxEvent> watch)
        {
            var client = DispatchProxy.Create<IImapRxClient, FakeClient>();
            ((FakeClient)(object)client)._watch = watch;
            return client;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => targetMethod!.Name switch
        {
            nameof(IImapRxClient.Watch) => _watch,
            nameof(IImapRxClient.MessageBatches) => Observable.Return<IReadOnlyList<MailMessageInfo>>(
                new[] { Message(1), Message(2) }).Concat(Observable.Return<IReadOnlyList<MailMessageInfo>>(new[] { Message(3) })),
            _ => throw new NotSupportedException(targetMethod.Name),
        };

        private static MailMessageInfo Message(uint uid) => new() { Uid = uid, Folder = "INBOX" };
    }
}
