using ImapRx.Pooling;
using Microsoft.Reactive.Testing;

namespace ImapRx.Tests.Pooling;

public sealed class FifoGateTests
{
    [Fact]
    public async Task Release_SeveralWaiters_GrantsInArrivalOrder()
    {
        var gate = new FifoGate(1, new TestScheduler());
        Assert.True(await gate.WaitAsync(TimeSpan.FromSeconds(1), default));
        var order = new List<int>();
        var waiters = Enumerable.Range(0, 20).Select(i => gate.WaitAsync(TimeSpan.FromSeconds(1), default).ContinueWith(t => { lock (order) { order.Add(i); } return t.Result; })).ToList();

        for (var i = 0; i < 20; i++)
        {
            gate.Release();
            await waiters[i];
        }

        Assert.Equal(Enumerable.Range(0, 20), order);
        Assert.All(waiters, w => Assert.True(w.Result));
    }

    [Fact]
    public async Task TryTake_FreeSlotsThenAWaiter_TakesOnlyWhatIsFreeAndNeverOvertakesTheWaiter()
    {
        var gate = new FifoGate(2, new TestScheduler());
        Assert.True(gate.TryTake());
        Assert.True(gate.TryTake());
        Assert.False(gate.TryTake()); // none free

        var waiter = gate.WaitAsync(TimeSpan.FromSeconds(1), default);
        gate.Release();
        Assert.True(await waiter); // the freed slot went to the waiter, not to a TryTake
        Assert.False(gate.TryTake());

        gate.Release();
        Assert.True(gate.TryTake());
    }

    [Fact]
    public void TryTake_SlotFreeButSomeoneQueuedFirst_ReturnsFalse()
    {
        var gate = new FifoGate(1, new TestScheduler());
        Assert.True(gate.TryTake());
        var first = gate.WaitAsync(TimeSpan.FromSeconds(1), default);
        var second = gate.WaitAsync(TimeSpan.FromSeconds(1), default);

        gate.Release(); // to the first waiter; the second still waits

        Assert.True(first.IsCompletedSuccessfully && first.Result);
        Assert.False(second.IsCompleted);
        Assert.False(gate.TryTake());
    }

    [Fact]
    public void WaitAsync_NoSlotFreed_TimesOutAtExactlyTheVirtualTimeout()
    {
        var scheduler = new TestScheduler();
        var gate = new FifoGate(1, scheduler);
        gate.WaitAsync(TimeSpan.FromSeconds(1), default).Wait();

        var waiting = gate.WaitAsync(TimeSpan.FromSeconds(60), default);
        scheduler.AdvanceBy(TimeSpan.FromSeconds(60).Ticks - 1);
        var before = waiting.IsCompleted;
        scheduler.AdvanceBy(1);

        Assert.False(before);
        Assert.False(waiting.Result);
        Assert.Equal(0, gate.Waiting);
    }

    [Fact]
    public async Task WaitAsync_Cancelled_LeavesTheQueueAndTheSlotGoesToTheNext()
    {
        var gate = new FifoGate(1, new TestScheduler());
        await gate.WaitAsync(TimeSpan.FromSeconds(1), default);
        using var cancel = new CancellationTokenSource();
        var cancelled = gate.WaitAsync(TimeSpan.FromSeconds(1), cancel.Token);
        var next = gate.WaitAsync(TimeSpan.FromSeconds(1), default);

        cancel.Cancel();
        gate.Release();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.True(await next);
    }
}
