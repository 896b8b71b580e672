using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace ImapRx.AsyncStreams;

/// <summary>
/// Where a cold fetch meets an <c>await foreach</c>: the fetch emits a batch into it and then waits in
/// <see cref="WaitForDemandAsync"/> until the consumer has taken that batch, so the server is asked for the next
/// batch only while the consumer works on the last one. At most two batches are alive at a time (the one being
/// read and the one fetched ahead), whatever the folder's size, and a consumer that stops reading stops the fetch
/// one batch later.
/// </summary>
/// <remarks>
/// The consumer leaving (<see cref="Stop"/>) wakes a fetch parked in <see cref="WaitForDemandAsync"/> with
/// <see cref="ConsumerLeftException"/>, carried past the error translation as the caller's own failure, so the
/// connection is idle between commands and goes back to the pool healthy.
/// </remarks>
internal sealed class BatchHandOff<T> : IObserver<IReadOnlyList<T>>
{
    private readonly object _gate = new();
    private readonly Queue<IReadOnlyList<T>> _ready = new();
    private readonly TaskCompletionSource<bool> _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource<bool>? _consumerWaiting;
    private TaskCompletionSource<bool>? _producerWaiting;
    private Exception? _error;
    private bool _completed;
    private bool _stopped;
    private readonly int _capacity;
    private readonly Func<int, Exception>? _overflow;
    private IDisposable? _source;

    /// <summary>A hand-off for a paced fetch: the fetch waits, so the buffer never holds more than one batch.</summary>
    internal BatchHandOff()
        : this(int.MaxValue, overflow: null)
    {
    }

    /// <summary>
    /// A hand-off for a source that cannot wait (a hot watch): at most <paramref name="capacity"/> items unread;
    /// one more ends the stream with <paramref name="overflow"/>'s exception, after the items already buffered.
    /// </summary>
    internal BatchHandOff(int capacity, Func<int, Exception>? overflow)
    {
        _capacity = capacity;
        _overflow = overflow;
    }

    /// <summary>Completes when the source has ended (completed or failed) and its work, lease included, is over.</summary>
    internal Task Terminated => _terminated.Task;

    /// <summary>True while the fetch is parked waiting for the consumer (so between commands).</summary>
    internal bool ProducerParked
    {
        get
        {
            lock (_gate)
            {
                return _producerWaiting is not null;
            }
        }
    }

    /// <summary>
    /// The fetch's side: returns once the consumer has taken every batch emitted so far. Throws
    /// <see cref="NotAConnectionFailure"/> over <see cref="ConsumerLeftException"/> when the consumer left.
    /// </summary>
    internal Task WaitForDemandAsync(CancellationToken cancellationToken)
        => NotAConnectionFailure.Run(() => WaitCoreAsync(cancellationToken));

    /// <summary>The subscription feeding this hand-off, disposed when it overflows.</summary>
    internal void Attach(IDisposable source)
    {
        bool overflowed;
        lock (_gate)
        {
            _source = source;
            overflowed = _completed && _error is not null && _overflow is not null;
        }

        if (overflowed)
        {
            source.Dispose();
        }
    }

    /// <inheritdoc/>
    public void OnNext(IReadOnlyList<T> value)
    {
        TaskCompletionSource<bool>? wake;
        IDisposable? dispose = null;
        lock (_gate)
        {
            if (_stopped || _completed)
            {
                return;
            }

            if (_ready.Count >= _capacity && _overflow is not null)
            {
                _completed = true;
                _error = _overflow(_capacity);
                dispose = _source;
            }
            else
            {
                _ready.Enqueue(value);
            }

            wake = _consumerWaiting;
            _consumerWaiting = null;
        }

        wake?.TrySetResult(true);
        if (dispose is not null)
        {
            dispose.Dispose();
            _terminated.TrySetResult(true);
        }
    }

    /// <inheritdoc/>
    public void OnError(Exception error) => End(error);

    /// <inheritdoc/>
    public void OnCompleted() => End(null);

    /// <summary>
    /// The consumer's side: the next batch, or null at the end. Rethrows the source's failure once the batches
    /// before it have been read.
    /// </summary>
    internal async ValueTask<IReadOnlyList<T>?> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            // Cancelled means now, even with a batch ready: the caller asked to stop reading.
            cancellationToken.ThrowIfCancellationRequested();
            TaskCompletionSource<bool> waiting;
            TaskCompletionSource<bool>? wakeProducer = null;
            lock (_gate)
            {
                if (_ready.Count > 0)
                {
                    var batch = _ready.Dequeue();
                    if (_ready.Count == 0)
                    {
                        wakeProducer = _producerWaiting;
                        _producerWaiting = null;
                    }

                    wakeProducer?.TrySetResult(true);
                    return batch;
                }

                if (_completed)
                {
                    if (_error is { } error)
                    {
                        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
                    }

                    return null;
                }

                waiting = _consumerWaiting ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            using (cancellationToken.Register(static state => ((TaskCompletionSource<bool>)state!).TrySetCanceled(), waiting))
            {
                await waiting.Task.ConfigureAwait(false);
            }
        }
    }

    /// <summary>The consumer left: drop what is buffered and wake a parked fetch so it ends between commands.</summary>
    /// <returns>True when the fetch was parked, so it will end on its own (watch <see cref="Terminated"/>).</returns>
    internal bool Stop()
    {
        TaskCompletionSource<bool>? parked;
        lock (_gate)
        {
            _stopped = true;
            _ready.Clear();
            parked = _producerWaiting;
            _producerWaiting = null;
        }

        parked?.TrySetException(new ConsumerLeftException());
        return parked is not null;
    }

    private async Task WaitCoreAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource<bool> waiting;
        lock (_gate)
        {
            if (_stopped)
            {
                throw new ConsumerLeftException();
            }

            if (_ready.Count == 0)
            {
                return;
            }

            waiting = _producerWaiting = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        using (cancellationToken.Register(static state => ((TaskCompletionSource<bool>)state!).TrySetCanceled(), waiting))
        {
            await waiting.Task.ConfigureAwait(false);
        }
    }

    private void End(Exception? error)
    {
        TaskCompletionSource<bool>? wake;
        lock (_gate)
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            _error = error is ConsumerLeftException or NotAConnectionFailure { InnerException: ConsumerLeftException } ? null : error;
            wake = _consumerWaiting;
            _consumerWaiting = null;
        }

        wake?.TrySetResult(true);
        _terminated.TrySetResult(true);
    }
}
