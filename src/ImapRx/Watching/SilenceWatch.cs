using System;
using System.Reactive.Concurrency;
using System.Threading;
using ImapRx.Pooling;

namespace ImapRx.Watching;

/// <summary>
/// The heartbeat of one IDLE: runs <c>probe</c> once the server has sent nothing for <c>after</c>, measured on
/// the scheduler from the server's last read (seen through the connection's <see cref="LoginWatch"/>). It sends
/// nothing itself, so a server that talks (changes, Dovecot's "* OK Still here") is never probed.
/// </summary>
internal sealed class SilenceWatch : IDisposable
{
    private readonly IScheduler _scheduler;
    private readonly TimeSpan _after;
    private readonly LoginWatch _connection;
    private readonly Action _probe;
    private readonly Action _heard;
    private readonly object _gate = new();
    private IDisposable? _timer;
    private long _lastHeardTicks;
    private bool _disposed;

    internal SilenceWatch(IScheduler scheduler, TimeSpan after, LoginWatch connection, Action probe)
    {
        _scheduler = scheduler;
        _after = after;
        _connection = connection;
        _probe = probe;
        _heard = () => Interlocked.Exchange(ref _lastHeardTicks, _scheduler.Now.UtcTicks);
        _heard();
        connection.ServerActivity = _heard;
        Arm(after);
    }

    /// <summary>True once the server was silent for the whole interval and the probe ran.</summary>
    internal bool Probed { get; private set; }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _timer?.Dispose();
        }

        if (_connection.ServerActivity == _heard)
        {
            _connection.ServerActivity = null;
        }
    }

    private void Arm(TimeSpan dueTime)
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _timer?.Dispose();
                _timer = _scheduler.Schedule(dueTime, Check);
            }
        }
    }

    private void Check()
    {
        var silent = _scheduler.Now.UtcTicks - Interlocked.Read(ref _lastHeardTicks);
        if (silent < _after.Ticks)
        {
            // The server spoke since this timer was set: wait out the rest of an interval from its last word.
            Arm(TimeSpan.FromTicks(_after.Ticks - silent));
            return;
        }

        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
        }

        Probed = true;
        _probe();
    }
}
