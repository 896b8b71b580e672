using ImapRx.AsyncStreams;

namespace ImapRx.Tests.AsyncStreams;

/// <summary>The hand-off between a fetch and an <c>await foreach</c>, without a server: who waits for whom.</summary>
public sealed class BatchHandOffTests
{
    [Fact]
    public async Task WaitForDemandAsync_BatchNotYetTaken_WaitsUntilTheConsumerTakesIt()
    {
        var handOff = new BatchHandOff<int>();
        handOff.OnNext(new[] { 1, 2 });

        var demand = handOff.WaitForDemandAsync(CancellationToken.None);
        Assert.False(demand.IsCompleted);
        Assert.True(handOff.ProducerParked);

        var batch = await handOff.TakeAsync(CancellationToken.None);
        await demand;

        Assert.Equal(new[] { 1, 2 }, batch);
        Assert.False(handOff.ProducerParked);
    }

    [Fact]
    public async Task WaitForDemandAsync_NothingBuffered_ReturnsAtOnce()
    {
        var handOff = new BatchHandOff<int>();

        await handOff.WaitForDemandAsync(CancellationToken.None);

        Assert.False(handOff.ProducerParked);
    }

    [Fact]
    public async Task Stop_ProducerParked_WakesItWithConsumerLeftCarriedAsNotAConnectionFailure()
    {
        var handOff = new BatchHandOff<int>();
        handOff.OnNext(new[] { 1 });
        var demand = handOff.WaitForDemandAsync(CancellationToken.None);

        var wasParked = handOff.Stop();

        Assert.True(wasParked);
        var error = await Assert.ThrowsAsync<NotAConnectionFailure>(() => demand);
        Assert.IsType<ConsumerLeftException>(error.InnerException);
        Assert.False(ImapErrors.BreaksConnection(error)); // the connection sat between commands: it stays pooled
    }

    [Fact]
    public async Task Stop_ProducerNotParked_ReturnsFalseAndTheNextWaitThrows()
    {
        var handOff = new BatchHandOff<int>();

        Assert.False(handOff.Stop());

        var error = await Assert.ThrowsAsync<NotAConnectionFailure>(() => handOff.WaitForDemandAsync(CancellationToken.None));
        Assert.IsType<ConsumerLeftException>(error.InnerException);
    }

    [Fact]
    public async Task TakeAsync_SourceFailsAfterTwoBatches_DeliversBothThenThrows()
    {
        var handOff = new BatchHandOff<int>();
        handOff.OnNext(new[] { 1 });
        handOff.OnNext(new[] { 2 });
        handOff.OnError(new ImapConnectionException("gone", null));

        Assert.Equal(new[] { 1 }, await handOff.TakeAsync(CancellationToken.None));
        Assert.Equal(new[] { 2 }, await handOff.TakeAsync(CancellationToken.None));
        await Assert.ThrowsAsync<ImapConnectionException>(async () => await handOff.TakeAsync(CancellationToken.None));
        Assert.True(handOff.Terminated.IsCompleted);
    }

    [Fact]
    public async Task TakeAsync_TokenCancelledWithABatchReady_ThrowsInsteadOfReturningIt()
    {
        var handOff = new BatchHandOff<int>();
        handOff.OnNext(new[] { 1 });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await handOff.TakeAsync(new CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task TakeAsync_ConsumerWaitingThenCompleted_ReturnsNull()
    {
        var handOff = new BatchHandOff<int>();
        var take = handOff.TakeAsync(CancellationToken.None).AsTask();
        Assert.False(take.IsCompleted);

        handOff.OnCompleted();

        Assert.Null(await take);
    }

    [Fact]
    public async Task OnNext_BoundedBufferFull_EndsWithTheOverflowAfterTheBufferedItemsAndDisposesTheSource()
    {
        var handOff = new BatchHandOff<int>(2, capacity => new ImapWatchOverflowException(capacity));
        var source = new Disposable();
        handOff.Attach(source);

        handOff.OnNext(new[] { 1 });
        handOff.OnNext(new[] { 2 });
        handOff.OnNext(new[] { 3 });
        handOff.OnNext(new[] { 4 });

        Assert.True(source.Disposed);
        Assert.Equal(new[] { 1 }, await handOff.TakeAsync(CancellationToken.None));
        Assert.Equal(new[] { 2 }, await handOff.TakeAsync(CancellationToken.None));
        var overflow = await Assert.ThrowsAsync<ImapWatchOverflowException>(async () => await handOff.TakeAsync(CancellationToken.None));
        Assert.Equal(2, overflow.Capacity);
    }

    private sealed class Disposable : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }
}
