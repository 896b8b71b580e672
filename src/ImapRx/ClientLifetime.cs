using System;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Threading;
using System.Threading.Tasks;

namespace ImapRx;

/// <summary>
/// How disposing a client ends its streams. Closing cancels every cold stream at once and asks every watch to stop at
/// its next safe point (IDLE ended with DONE, no command in flight), so its connection is closed with LOGOUT; after a
/// grace period whatever still runs (a watch stuck on a server that does not answer) is cancelled. Work in flight is
/// counted, so disposal returns only after every stream it ended has ended and handed its connection back. A stream
/// that ends on its own stops counting before its end is delivered, so its observer may dispose the client from
/// OnCompleted or OnError without waiting for itself.
/// </summary>
internal sealed class ClientLifetime
{
    private readonly CancellationTokenSource _closing = new();
    private readonly CancellationTokenSource _stopped = new();
    private readonly object _gate = new();
    private TaskCompletionSource<bool>? _drained;
    private int _running;

    /// <summary>Cancelled when disposal begins: watches stop at their next safe point.</summary>
    internal CancellationToken Closing => _closing.Token;

    /// <summary>Cancelled once the watches had their chance to stop cleanly: everything still running is cancelled.</summary>
    internal CancellationToken Stopped => _stopped.Token;

    internal bool IsClosing => _closing.IsCancellationRequested;

    /// <summary>What a stream subscribed after disposal, or cut short by it, fails with.</summary>
    internal static ObjectDisposedException Disposed()
        => new(nameof(ImapRxClient), "The ImapRxClient was disposed; its streams ended with it.");

    /// <summary>Counts one running stream until the returned scope is disposed; fails when the client is closing.</summary>
    internal IDisposable Enter()
    {
        lock (_gate)
        {
            if (IsClosing)
            {
                throw Disposed();
            }

            _running++;
        }

        return new Scope(this);
    }

    /// <summary>
    /// Runs one cold stream's work as part of the client's lifetime and delivers its end: OnCompleted when the work
    /// returns, OnError when it throws. Disposing the client cancels the work (a command in flight cannot be ended
    /// cleanly, so its connection is closed, not pooled) and the stream fails with <see cref="ObjectDisposedException"/>,
    /// never completing as if every item had arrived. See <see cref="End"/> for when the end counts as delivered.
    /// </summary>
    internal async Task RunAsync<T>(IObserver<T> observer, CancellationToken subscription, Func<CancellationToken, Task> work)
    {
        if (!TryEnter(observer, out var running))
        {
            return;
        }

        Exception? failure = null;
        try
        {
            // At once, not after the watches' grace period: a cold stream has no safe point to stop at short of its end.
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(subscription, Closing);
            await work(linked.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsClosing && !subscription.IsCancellationRequested && ex is not ObjectDisposedException)
        {
            failure = new ObjectDisposedException(Disposed().Message, ex);
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        End(running, failure is null ? observer.OnCompleted : () => observer.OnError(failure));
    }

    /// <summary>
    /// Delivers a stream's end and stops counting it as running. While the client is being disposed the end is
    /// delivered first, so disposal returns after every end was delivered. Otherwise the stream stops counting
    /// first: an observer may dispose the client from its OnCompleted or OnError (an awaited Task form runs the
    /// awaiting code right there), and a disposal that waited for the very end it is called from would never return.
    /// </summary>
    internal void End(IDisposable running, Action deliver)
    {
        if (IsClosing)
        {
            try
            {
                deliver();
            }
            finally
            {
                running.Dispose();
            }
        }
        else
        {
            running.Dispose();
            deliver();
        }
    }

    /// <summary>Counts one running stream (see <see cref="Enter"/>), or fails <paramref name="observer"/> when the client is closing.</summary>
    internal bool TryEnter<T>(IObserver<T> observer, out IDisposable running)
    {
        try
        {
            running = Enter();
            return true;
        }
        catch (ObjectDisposedException ex)
        {
            running = System.Reactive.Disposables.Disposable.Empty;
            observer.OnError(ex);
            return false;
        }
    }

    /// <summary>
    /// Ends every stream: asks watches to stop cleanly, waits up to <paramref name="grace"/> (on
    /// <paramref name="scheduler"/>) for them, then cancels what is left and waits for it to end.
    /// </summary>
    internal async Task CloseAsync(TimeSpan grace, System.Reactive.Concurrency.IScheduler scheduler)
    {
        Task drained;
        lock (_gate)
        {
            _drained = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_running == 0)
            {
                _drained.TrySetResult(true);
            }

            drained = _drained.Task;
        }

        _closing.Cancel();
        if (!drained.IsCompleted)
        {
            using var timer = new CancellationTokenSource();
            var deadline = Observable.Timer(grace, scheduler).ToTask(timer.Token);
            await Task.WhenAny(drained, deadline).ConfigureAwait(false);
            timer.Cancel();
        }

        _stopped.Cancel();
        await drained.ConfigureAwait(false);
    }

    private void Leave()
    {
        lock (_gate)
        {
            if (--_running == 0)
            {
                _drained?.TrySetResult(true);
            }
        }
    }

    private sealed class Scope : IDisposable
    {
        private ClientLifetime? _owner;

        internal Scope(ClientLifetime owner) => _owner = owner;

        public void Dispose() => Interlocked.Exchange(ref _owner, null)?.Leave();
    }
}
