using System.Reactive.Linq;
using ImapRx.Resilience;
using MailKit.Security;
using Microsoft.Reactive.Testing;

namespace ImapRx.Tests.Resilience;

public sealed class RetryWithTests : ReactiveTest
{
    private static readonly RetryPolicy Exact = new() { MaxRetries = 3, InitialDelay = TimeSpan.FromTicks(100), MaxDelay = TimeSpan.FromTicks(250), Jitter = 0 };

    [Fact]
    public void RetryWith_TransientFailures_ResubscribesAtExponentialCappedDelays()
    {
        var scheduler = new TestScheduler();
        var source = scheduler.CreateColdObservable(OnNext(10, 1), OnError<int>(20, new IOException("dropped")));

        var results = scheduler.Start(() => source.RetryWith(Exact, scheduler), created: 0, subscribed: 200, disposed: 5000);

        // Fail at 220 -> wait 100 -> resubscribe 320; fail 340 -> wait 200 -> 540; fail 560 -> wait 250 (cap) -> 810; fail 830: retries spent.
        Assert.Equal(new long[] { 200, 320, 540, 810 }, source.Subscriptions.Select(s => s.Subscribe));
        Assert.Equal(new long[] { 220, 340, 560, 830 }, source.Subscriptions.Select(s => s.Unsubscribe));
        Assert.Equal(new long[] { 210, 330, 550, 820 }, results.Messages.Where(m => m.Value.Kind == System.Reactive.NotificationKind.OnNext).Select(m => m.Time));
        Assert.Equal(830, results.Messages.Last().Time);
        Assert.IsType<IOException>(results.Messages.Last().Value.Exception);
    }

    [Fact]
    public void RetryWith_AuthenticationFailure_IsNeverRetried()
    {
        var scheduler = new TestScheduler();
        var source = scheduler.CreateColdObservable(OnError<int>(5, new AuthenticationException("bad password")));

        var results = scheduler.Start(() => source.RetryWith(Exact, scheduler), created: 0, subscribed: 100, disposed: 5000);

        Assert.Single(source.Subscriptions);
        Assert.Equal(105, Assert.Single(results.Messages).Time);
    }

    [Fact]
    public void RetryWith_DisposedWhileWaiting_NeverResubscribes()
    {
        var scheduler = new TestScheduler();
        var source = scheduler.CreateColdObservable(OnError<int>(10, new TimeoutException()));

        scheduler.Start(() => source.RetryWith(Exact, scheduler), created: 0, subscribed: 100, disposed: 150);

        Assert.Single(source.Subscriptions);
    }

    [Fact]
    public void RetryPolicy_Jitter_StaysWithinItsBandAndTheCap()
    {
        var low = new RetryPolicy { InitialDelay = TimeSpan.FromSeconds(10), MaxDelay = TimeSpan.FromMinutes(5), Jitter = 0.2, Random = () => 0 };
        var high = new RetryPolicy { InitialDelay = TimeSpan.FromSeconds(10), MaxDelay = TimeSpan.FromSeconds(30), Jitter = 0.2, Random = () => 1 };

        Assert.Equal(TimeSpan.FromSeconds(8), low.DelayFor(1));
        Assert.Equal(TimeSpan.FromSeconds(16), low.DelayFor(2));
        Assert.Equal(TimeSpan.FromSeconds(12), high.DelayFor(1));
        Assert.Equal(TimeSpan.FromSeconds(30), high.DelayFor(3));
    }

    [Fact]
    public void SchedulerTimeProvider_Delay_CompletesOnVirtualTime()
    {
        var scheduler = new TestScheduler();
        var clock = new SchedulerTimeProvider(scheduler);

        var delay = Task.Delay(TimeSpan.FromSeconds(5), clock);
        scheduler.AdvanceBy(TimeSpan.FromSeconds(4.9).Ticks);
        var before = delay.IsCompleted;
        scheduler.AdvanceBy(TimeSpan.FromSeconds(0.1).Ticks);

        Assert.False(before);
        Assert.True(delay.Wait(TimeSpan.FromSeconds(5)));
    }
}
