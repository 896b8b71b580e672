using System;
using System.Reactive.Concurrency;
using System.Threading;

namespace ImapRx.Watching;

/// <summary>
/// Cancels a token source when a started deadline passes on the scheduler, so a silent server is
/// detected in virtual time as well as in real time. Starting twice keeps the first deadline.
/// </summary>
internal sealed class DeadlineTimer : IDisposable
{
    private readonly IScheduler _scheduler;
    private readonly TimeSpan _timeout;
    private readonly CancellationTokenSource _target;
    private IDisposable? _timer;
    private int _started;
    private int _expired;
    private int _disposed;

    internal DeadlineTimer(IScheduler scheduler, TimeSpan timeout, CancellationTokenSource target)
    {
        _scheduler = scheduler;
        _timeout = timeout;
        _target = target;
    }

    /// <summary>True once the deadline passed and the target was cancelled.</summary>
    internal bool Expired => Volatile.Read(ref _expired) == 1;

    internal void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            return;
        }

        var timer = _scheduler.Schedule(_timeout, Expire);
        Interlocked.Exchange(ref _timer, timer);
        if (Volatile.Read(ref _disposed) == 1)
        {
            timer.Dispose();
        }
    }

    public void Dispose()
    {
        Volatile.Write(ref _disposed, 1);
        Interlocked.Exchange(ref _timer, null)?.Dispose();
    }

    private void Expire()
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            return;
        }

        Volatile.Write(ref _expired, 1);
        try
        {
            _target.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The command finished and its token source is gone: nothing to abort.
        }
    }
}
