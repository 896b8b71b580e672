using System;
using System.Collections.Generic;
using System.Reactive.Concurrency;
using System.Threading;
using System.Threading.Tasks;

namespace ImapRx.Pooling;

/// <summary>
/// A counting gate that hands free slots to waiters strictly in arrival order (SemaphoreSlim does not), with the
/// wait timeout on an <see cref="IScheduler"/> so it can be tested in virtual time.
/// </summary>
internal sealed class FifoGate
{
    private readonly object _lock = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private readonly IScheduler _scheduler;
    private readonly int _slots;
    private int _free;

    internal FifoGate(int slots, IScheduler scheduler)
    {
        _slots = slots;
        _free = slots;
        _scheduler = scheduler;
    }

    /// <summary>Callers waiting right now.</summary>
    internal int Waiting
    {
        get
        {
            lock (_lock)
            {
                return _waiters.Count;
            }
        }
    }

    /// <summary>Slots held right now (granted and not yet released).</summary>
    internal int Taken
    {
        get
        {
            lock (_lock)
            {
                return _slots - _free;
            }
        }
    }

    /// <summary>Takes a slot only if one is free now and nobody waits for it (a waiter is never overtaken).</summary>
    internal bool TryTake()
    {
        lock (_lock)
        {
            if (_free > 0 && _waiters.Count == 0)
            {
                _free--;
                return true;
            }

            return false;
        }
    }

    /// <summary>Takes a slot; false when <paramref name="timeout"/> passed first.</summary>
    internal Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (_lock)
        {
            if (_free > 0 && _waiters.Count == 0)
            {
                _free--;
                return Task.FromResult(true);
            }

            waiter = new Waiter();
            waiter.Node = _waiters.AddLast(waiter);
        }

        waiter.Timer = _scheduler.Schedule(timeout, () => Abandon(waiter, w => w.Completion.TrySetResult(false)));
        if (cancellationToken.CanBeCanceled)
        {
            waiter.Cancellation = cancellationToken.Register(() => Abandon(waiter, w => w.Completion.TrySetCanceled(cancellationToken)));
        }

        lock (_lock)
        {
            if (waiter.Node is null)
            {
                waiter.Dispose(); // granted or abandoned while the timer and registration were being set up
            }
        }

        return waiter.Completion.Task;
    }

    /// <summary>Returns a slot: the longest waiter gets it, else it becomes free.</summary>
    internal void Release()
    {
        Waiter? next = null;
        lock (_lock)
        {
            if (_waiters.First is { } first)
            {
                next = first.Value;
                _waiters.RemoveFirst();
                next.Node = null;
            }
            else
            {
                _free++;
            }
        }

        if (next is not null)
        {
            next.Dispose();
            next.Completion.TrySetResult(true);
        }
    }

    private void Abandon(Waiter waiter, Action<Waiter> complete)
    {
        lock (_lock)
        {
            if (waiter.Node is null)
            {
                return; // already granted a slot
            }

            _waiters.Remove(waiter.Node);
            waiter.Node = null;
        }

        waiter.Dispose();
        complete(waiter);
    }

    private sealed class Waiter : IDisposable
    {
        internal TaskCompletionSource<bool> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        internal LinkedListNode<Waiter>? Node { get; set; }

        internal IDisposable? Timer { get; set; }

        internal CancellationTokenRegistration Cancellation { get; set; }

        public void Dispose()
        {
            Timer?.Dispose();
            Cancellation.Dispose();
        }
    }
}
