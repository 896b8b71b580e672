using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace ImapRx.AsyncStreams;

/// <summary>The <c>await foreach</c> side of a <see cref="BatchHandOff{T}"/>: one enumeration, one subscription.</summary>
internal static class PullStream
{
    /// <summary>
    /// Items of the batches <paramref name="source"/> emits. The source is given the hand-off's demand to await
    /// after each batch. Leaving the loop early stops the fetch: when it is parked between commands it ends there
    /// and its connection goes back to the pool before the enumerator's disposal returns; when a command is in
    /// flight, the subscription is disposed, which cancels it, as disposing any ImapRx subscription does.
    /// </summary>
    internal static async IAsyncEnumerable<T> Items<T>(
        Func<Func<CancellationToken, Task>, IObservable<IReadOnlyList<T>>> source,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var handOff = new BatchHandOff<T>();
        await foreach (var item in Drain(handOff, source(handOff.WaitForDemandAsync), cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }
    }

    /// <summary>Items of a source that cannot wait, through a buffer of <paramref name="capacity"/> items.</summary>
    internal static async IAsyncEnumerable<T> Bounded<T>(
        IObservable<T> source,
        int capacity,
        Func<int, Exception> overflow,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var handOff = new BatchHandOff<T>(capacity, overflow);
        await foreach (var item in Drain(handOff, new SingleItems<T>(source), cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }
    }

    private static async IAsyncEnumerable<T> Drain<T>(BatchHandOff<T> handOff, IObservable<IReadOnlyList<T>> source, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var subscription = source.Subscribe(handOff);
        handOff.Attach(subscription);
        try
        {
            while (await handOff.TakeAsync(cancellationToken).ConfigureAwait(false) is { } batch)
            {
                foreach (var item in batch)
                {
                    // Cancelled means now, not at the end of the batch in hand.
                    cancellationToken.ThrowIfCancellationRequested();
                    yield return item;
                }
            }
        }
        finally
        {
            if (handOff.Stop())
            {
                // Parked between commands: it ends by itself, and its lease is back in the pool when this returns.
                await handOff.Terminated.ConfigureAwait(false);
            }

            subscription.Dispose();
        }
    }

    /// <summary>Each item of a hot stream as a batch of one, so it can share the hand-off.</summary>
    private sealed class SingleItems<T>(IObservable<T> source) : IObservable<IReadOnlyList<T>>
    {
        public IDisposable Subscribe(IObserver<IReadOnlyList<T>> observer) => source.Subscribe(new Forward(observer));

        private sealed class Forward(IObserver<IReadOnlyList<T>> target) : IObserver<T>
        {
            public void OnNext(T value) => target.OnNext(new[] { value });

            public void OnError(Exception error) => target.OnError(error);

            public void OnCompleted() => target.OnCompleted();
        }
    }
}
