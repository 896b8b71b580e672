using System.Reactive.Concurrency;
using Microsoft.Reactive.Testing;

namespace ImapRx.Tests.Watching;

/// <summary>
/// A <see cref="TestScheduler"/> that real I/O threads may schedule on while the test advances the clock:
/// TestScheduler itself is not thread-safe, so every call goes through one (re-entrant) lock.
/// </summary>
internal sealed class LockedTestScheduler : IScheduler
{
    private readonly TestScheduler _inner = new();
    private readonly object _gate = new();

    public DateTimeOffset Now
    {
        get
        {
            lock (_gate)
            {
                return _inner.Now;
            }
        }
    }

    public void AdvanceBy(TimeSpan time)
    {
        lock (_gate)
        {
            _inner.AdvanceBy(time.Ticks);
        }
    }

    public IDisposable Schedule<TState>(TState state, Func<IScheduler, TState, IDisposable> action)
    {
        lock (_gate)
        {
            return _inner.Schedule(state, (_, s) => action(this, s));
        }
    }

    public IDisposable Schedule<TState>(TState state, TimeSpan dueTime, Func<IScheduler, TState, IDisposable> action)
    {
        lock (_gate)
        {
            return _inner.Schedule(state, dueTime, (_, s) => action(this, s));
        }
    }

    public IDisposable Schedule<TState>(TState state, DateTimeOffset dueTime, Func<IScheduler, TState, IDisposable> action)
    {
        lock (_gate)
        {
            return _inner.Schedule(state, dueTime, (_, s) => action(this, s));
        }
    }
}
