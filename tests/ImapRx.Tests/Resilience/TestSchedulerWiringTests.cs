using System.Reactive.Linq;
using Microsoft.Reactive.Testing;

namespace ImapRx.Tests.Resilience;

public class TestSchedulerWiringTests : ReactiveTest
{
    [Fact]
    public void Timer_OnTestScheduler_FiresAtExactVirtualTime()
    {
        var scheduler = new TestScheduler();

        var results = scheduler.Start(
            () => Observable.Timer(TimeSpan.FromTicks(300), scheduler).Select(_ => 42),
            created: 100, subscribed: 200, disposed: 1000);

        Assert.Equal(new[] { OnNext(500, 42), OnCompleted<int>(500) }, results.Messages);
    }
}
