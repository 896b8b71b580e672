using System;
using System.Reactive.Concurrency;
using System.Threading;

namespace ImapRx.Resilience;

/// <summary>
/// A <see cref="TimeProvider"/> whose clock and timers are an Rx <see cref="IScheduler"/>, so Polly's delays run on
/// the same (possibly virtual) clock as every Rx operator in ImapRx.
/// </summary>
internal sealed class SchedulerTimeProvider : TimeProvider
{
    /// <summary>Wraps <paramref name="scheduler"/>.</summary>
    internal SchedulerTimeProvider(IScheduler scheduler) => Scheduler = scheduler ?? throw new ArgumentNullException(nameof(scheduler));

    /// <summary>The scheduler behind this clock.</summary>
    internal IScheduler Scheduler { get; }

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => Scheduler.Now.ToUniversalTime();

    /// <inheritdoc/>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        => new SchedulerTimer(Scheduler, callback, state, dueTime, period);

    private sealed class SchedulerTimer : ITimer
    {
        private readonly IScheduler _scheduler;
        private readonly TimerCallback _callback;
        private readonly object? _state;
        private readonly object _gate = new();
        private IDisposable? _pending;
        private bool _disposed;

        internal SchedulerTimer(IScheduler scheduler, TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            _scheduler = scheduler;
            _callback = callback;
            _state = state;
            Change(dueTime, period);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (_gate)
            {
                if (_disposed)
                {
                    return false;
                }

                _pending?.Dispose();
                _pending = dueTime == Timeout.InfiniteTimeSpan ? null : _scheduler.Schedule(dueTime, () => Fire(period));
                return true;
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _disposed = true;
                _pending?.Dispose();
                _pending = null;
            }
        }

        public System.Threading.Tasks.ValueTask DisposeAsync()
        {
            Dispose();
            return default;
        }

        private void Fire(TimeSpan period)
        {
            _callback(_state);
            if (period != Timeout.InfiniteTimeSpan && period > TimeSpan.Zero)
            {
                Change(period, period);
            }
        }
    }
}
