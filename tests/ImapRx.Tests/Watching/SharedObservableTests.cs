using System.Reactive.Linq;
using System.Reactive.Subjects;
using ImapRx.Model;
using ImapRx.Watching;

namespace ImapRx.Tests.Watching;

public sealed class SharedObservableTests
{
    private static readonly WatchConnected Connected1 = new() { Folder = "INBOX", ConnectionId = "h:u#1" };
    private static readonly WatchConnected Connected2 = new() { Folder = "INBOX", ConnectionId = "h:u#2" };
    private static readonly WatchIdling Idling = new() { Folder = "INBOX" };
    private static readonly WatchReconnecting Reconnecting = new() { Folder = "INBOX", Attempt = 1 };
    private static readonly MessagesArrived Arrived = new() { Folder = "INBOX", Uids = new uint[] { 7 } };

    [Fact]
    public void Subscribe_Late_GetsTheLiveConnectionAndLatestStateButNoMessageEvents()
    {
        var source = new Subject<MailboxEvent>();
        var shared = new SharedObservable(source);
        var early = new List<MailboxEvent>();
        using var first = shared.Subscribe(early.Add);

        source.OnNext(Connected1);
        source.OnNext(Idling);
        source.OnNext(Arrived);
        source.OnNext(Idling);
        var late = new List<MailboxEvent>();
        using var second = shared.Subscribe(late.Add);
        source.OnNext(Arrived);

        Assert.Equal(new MailboxEvent[] { Connected1, Idling, Arrived }, late);
        Assert.Equal(new MailboxEvent[] { Connected1, Idling, Arrived, Idling, Arrived }, early);
        Assert.Equal(2, shared.SubscriberCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Subscribe_AfterAConnectionWasLost_GetsOnlyWhatIsTrueNow(bool reconnected)
    {
        var source = new Subject<MailboxEvent>();
        var shared = new SharedObservable(source);
        using var first = shared.Subscribe(_ => { });
        source.OnNext(Connected1);
        source.OnNext(Idling);
        source.OnNext(Reconnecting);
        if (reconnected)
        {
            source.OnNext(Connected2);
        }

        var late = new List<MailboxEvent>();
        using var second = shared.Subscribe(late.Add);

        Assert.Equal(reconnected ? new MailboxEvent[] { Connected2 } : new MailboxEvent[] { Reconnecting }, late);
    }

    [Fact]
    public void Subscribe_SeveralFolders_ReplaysEachFoldersStatusInTheOrderTheyFirstAppeared()
    {
        var source = new Subject<MailboxEvent>();
        var shared = new SharedObservable(source);
        using var first = shared.Subscribe(_ => { });
        source.OnNext(Connected1 with { Folder = "b" });
        source.OnNext(Connected1 with { Folder = "a" });
        source.OnNext(Idling with { Folder = "a" });
        source.OnNext(Idling with { Folder = "b" });

        var late = shared.ToEnumerable().Take(4).ToList();

        Assert.Equal(new[] { "b", "b", "a", "a" }, late.Select(e => e.Folder));
        Assert.Equal(new[] { typeof(WatchConnected), typeof(WatchIdling), typeof(WatchConnected), typeof(WatchIdling) }, late.Select(e => e.GetType()));
    }

    [Fact]
    public void Subscribe_LastOneLeftAndANewOneCame_StartsAFreshWatchWithNoOldStatus()
    {
        var subscriptions = 0;
        var current = new Subject<MailboxEvent>();
        var shared = new SharedObservable(Observable.Defer(() => { subscriptions++; current = new Subject<MailboxEvent>(); return current; }));
        var first = shared.Subscribe(_ => { });
        current.OnNext(Connected1);
        current.OnNext(Idling);
        first.Dispose();

        var again = new List<MailboxEvent>();
        using var second = shared.Subscribe(again.Add);

        Assert.Empty(again);
        Assert.Equal(2, subscriptions);
        Assert.Equal(1, shared.SubscriberCount);
    }

    [Fact]
    public async Task Subscribe_WhileTheSourceEmitsOnAnotherThread_EveryLateSubscriberSeesEachEventOnceInOrder()
    {
        var source = new Subject<MailboxEvent>();
        var shared = new SharedObservable(source);
        using var first = shared.Subscribe(_ => { });
        source.OnNext(Connected1);
        const int Count = 20_000;
        var producer = Task.Run(() =>
        {
            for (var i = 1; i <= Count; i++)
            {
                source.OnNext(i % 2 == 0 ? Idling : Arrived with { Uids = new[] { (uint)i } });
            }
        });

        var checks = new List<OrderCheck>();
        var subscriptions = new List<IDisposable>();
        while (!producer.IsCompleted && checks.Count < 500)
        {
            var check = new OrderCheck();
            checks.Add(check);
            subscriptions.Add(shared.Subscribe(check.Add));
            await Task.Yield();
        }

        await producer;
        subscriptions.ForEach(s => s.Dispose());
        Assert.NotEmpty(checks);
        Assert.All(checks, check => Assert.Null(check.Problem));
    }

    /// <summary>
    /// What one late subscriber must see: the replayed connection first, never another WatchConnected, then
    /// arrivals (odd numbers) with none skipped and none repeated.
    /// </summary>
    private sealed class OrderCheck
    {
        private int _seen;
        private uint _lastUid;

        internal string? Problem { get; private set; }

        internal void Add(MailboxEvent value)
        {
            lock (this)
            {
                if (_seen++ == 0)
                {
                    if (!ReferenceEquals(value, Connected1))
                    {
                        Problem ??= $"first event was {value}";
                    }

                    return;
                }

                if (value is WatchConnected)
                {
                    Problem ??= "WatchConnected again";
                }
                else if (value is MessagesArrived arrived)
                {
                    var uid = arrived.Uids[0];
                    if (_lastUid != 0 && uid != _lastUid + 2)
                    {
                        Problem ??= $"arrival {uid} after {_lastUid}";
                    }

                    _lastUid = uid;
                }
            }
        }
    }
}
