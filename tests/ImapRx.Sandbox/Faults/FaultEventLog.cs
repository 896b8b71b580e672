namespace ImapRx.Sandbox.Faults;

/// <summary>
/// The proxy's record of what happened: a bounded list of recent events, exact counts per kind, live observers
/// and waiters. Observers are called one at a time, in sequence order, on the thread that published.
/// </summary>
internal sealed class FaultEventLog : IObservable<FaultEvent>
{
    private const int Capacity = 10_000;

    private readonly object _gate = new();
    private readonly Queue<FaultEvent> _recent = new();
    private readonly long[] _counts = new long[Enum.GetValues<FaultEventKind>().Length];
    private readonly List<(Func<FaultEvent, bool> Predicate, TaskCompletionSource<FaultEvent> Result)> _waiters = [];
    private IObserver<FaultEvent>[] _observers = [];
    private long _sequence;
    private bool _completed;

    internal void Publish(FaultEventKind kind, int connectionId, Direction? direction, long byteOffset, string detail)
    {
        lock (_gate)
        {
            if (_completed)
            {
                return;
            }

            var item = new FaultEvent(++_sequence, kind, connectionId, direction, byteOffset, detail);
            _counts[(int)kind]++;
            _recent.Enqueue(item);
            if (_recent.Count > Capacity)
            {
                _recent.Dequeue();
            }

            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Predicate(item))
                {
                    _waiters[i].Result.TrySetResult(item);
                    _waiters.RemoveAt(i);
                }
            }

            // Under the lock so observers see events one at a time and in sequence order.
            foreach (var observer in _observers)
            {
                observer.OnNext(item);
            }
        }
    }

    internal IReadOnlyList<FaultEvent> Snapshot()
    {
        lock (_gate)
        {
            return [.. _recent];
        }
    }

    internal long Count(FaultEventKind kind)
    {
        lock (_gate)
        {
            return _counts[(int)kind];
        }
    }

    internal async Task<FaultEvent> WaitAsync(Func<FaultEvent, bool> predicate, CancellationToken cancellationToken)
    {
        TaskCompletionSource<FaultEvent> result;
        lock (_gate)
        {
            foreach (var past in _recent)
            {
                if (predicate(past))
                {
                    return past;
                }
            }

            if (_completed)
            {
                throw new ObjectDisposedException(nameof(FaultProxy), "The proxy was disposed before the event happened.");
            }

            result = new TaskCompletionSource<FaultEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((predicate, result));
        }

        try
        {
            return await result.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                _waiters.RemoveAll(w => w.Result == result);
            }
        }
    }

    public IDisposable Subscribe(IObserver<FaultEvent> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        lock (_gate)
        {
            if (_completed)
            {
                observer.OnCompleted();
                return new Subscription(this, observer);
            }

            _observers = [.. _observers, observer];
        }

        return new Subscription(this, observer);
    }

    internal void Complete()
    {
        lock (_gate)
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            foreach (var waiter in _waiters)
            {
                waiter.Result.TrySetException(new ObjectDisposedException(nameof(FaultProxy), "The proxy was disposed before the event happened."));
            }

            _waiters.Clear();
            foreach (var observer in _observers)
            {
                observer.OnCompleted();
            }

            _observers = [];
        }
    }

    private void Unsubscribe(IObserver<FaultEvent> observer)
    {
        lock (_gate)
        {
            _observers = [.. _observers.Where(o => o != observer)];
        }
    }

    private sealed class Subscription(FaultEventLog log, IObserver<FaultEvent> observer) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                log.Unsubscribe(observer);
            }
        }
    }
}
