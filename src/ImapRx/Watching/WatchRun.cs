using System;
using System.Threading;

namespace ImapRx.Watching;

/// <summary>
/// One running watch's side of client disposal. While the watch holds its connection, closing ends IDLE with DONE and
/// the watcher leaves at its next safe point (<see cref="ThrowIfClosing"/>), so the pool closes the connection with
/// LOGOUT; while it holds none (connecting, waiting out a reconnect delay) there is nothing to close cleanly, so
/// closing cancels <see cref="Token"/> at once.
/// </summary>
internal sealed class WatchRun : IDisposable
{
    private readonly ClientLifetime _lifetime;
    private readonly CancellationTokenSource _hard;
    private readonly CancellationTokenRegistration _onClosing;
    private readonly CancellationTokenRegistration _onStopped;
    private readonly object _gate = new();
    private CancellationTokenSource? _idleStop;
    private bool _connected;

    internal WatchRun(ClientLifetime lifetime, CancellationToken subscription)
    {
        _lifetime = lifetime;
        _hard = CancellationTokenSource.CreateLinkedTokenSource(subscription);
        _onClosing = lifetime.Closing.Register(OnClosing);
        _onStopped = lifetime.Stopped.Register(Stop);
    }

    /// <summary>The watch's token: the subscription's, also cancelled by a disposal that cannot end it cleanly.</summary>
    internal CancellationToken Token => _hard.Token;

    /// <summary>True once the client is being disposed.</summary>
    internal bool IsClosing => _lifetime.IsClosing;

    /// <summary>The watcher holds a connection (true) or not (false).</summary>
    internal void SetConnected(bool connected)
    {
        lock (_gate)
        {
            _connected = connected;
        }

        if (!connected && IsClosing)
        {
            Stop();
        }
    }

    /// <summary>The source that ends the current IDLE (or poll), or null between waits.</summary>
    internal void PublishIdleStop(CancellationTokenSource? stop)
    {
        lock (_gate)
        {
            _idleStop = stop;
        }

        if (stop is not null && IsClosing)
        {
            SafeCancel(stop); // MailKit returns from IDLE at once when its done token is already cancelled
        }
    }

    /// <summary>At a safe point (no command in flight): leaves the watch when the client is being disposed.</summary>
    internal void ThrowIfClosing()
    {
        if (IsClosing)
        {
            throw new WatchClosedException();
        }
    }

    /// <summary>A failure after disposal began ends the watch instead of reconnecting it.</summary>
    internal void OnFailure()
    {
        if (IsClosing)
        {
            Stop();
        }
    }

    public void Dispose()
    {
        _onClosing.Dispose();
        _onStopped.Dispose();
        _hard.Dispose();
    }

    private void OnClosing()
    {
        CancellationTokenSource? idleStop;
        bool connected;
        lock (_gate)
        {
            idleStop = _idleStop;
            connected = _connected;
        }

        if (!connected)
        {
            Stop();
        }
        else if (idleStop is not null)
        {
            SafeCancel(idleStop);
        }
    }

    private void Stop() => SafeCancel(_hard);

    private static void SafeCancel(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The wait (or the watch) already ended.
        }
    }
}
