using System;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Threading;
using System.Threading.Tasks;
using ImapRx.Model;
using ImapRx.Pooling;
using ImapRx.Resilience;
using MailKit.Net.Imap;

namespace ImapRx.Watching;

/// <summary>
/// The two loops every watch shares, single-folder or NOTIFY: reconnecting with backoff after a transient
/// failure, and waiting in IDLE (or polling) with restarts and dead-connection detection, all on the scheduler.
/// </summary>
internal static class WatchLoop
{
    /// <summary>
    /// Runs <paramref name="runConnected"/> until cancelled; a recoverable failure waits out the backoff and runs it
    /// again. The attempt count restarts whenever <paramref name="runConnected"/> calls its "resynchronised" action.
    /// </summary>
    internal static async Task RunWithReconnectsAsync(
        ClientContext client,
        WatchOptions options,
        Func<Action, CancellationToken, Task> runConnected,
        Action lost,
        Action<WatchReconnecting> reconnecting,
        CancellationToken cancellationToken)
    {
        var attempt = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await runConnected(() => attempt = 0, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                var error = ImapErrors.Translate(ex);
                if (!ImapErrors.IsRecoverableForWatch(error) || (options.MaxReconnectAttempts is { } limit && attempt + 1 > limit))
                {
                    if (ReferenceEquals(error, ex))
                    {
                        throw;
                    }

                    throw error;
                }

                lost();
                attempt++;

                // The timer is running before the event is out, so whoever reacts to the event (a test
                // advancing virtual time, say) can rely on the reconnect being scheduled.
                var delay = client.Retry.DelayFor(attempt);
                var sleep = Observable.Timer(delay, client.Scheduler).ToTask(cancellationToken);
                reconnecting(new WatchReconnecting { Attempt = attempt, Delay = delay, Reason = $"{ex.GetType().Name}: {ex.Message}" });
                await sleep.ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// One round of waiting for the server: IDLE until <paramref name="publishStop"/>'s source is cancelled (by a
    /// change) or the idle timeout passes; without IDLE, one poll interval then NOOP. Ending IDLE starts the
    /// response deadline: a server that never answers DONE is dead, and a <see cref="TimeoutException"/> says so.
    /// Within the round, a server silent for <see cref="WatchOptions.HeartbeatAfter"/> is asked to answer (DONE);
    /// if it does, IDLE goes on unannounced on the same connection.
    /// </summary>
    internal static async Task WaitForChangesAsync(
        ClientContext client,
        ImapLease lease,
        WatchOptions options,
        string what,
        Action<CancellationTokenSource?> publishStop,
        Action<bool> idling,
        CancellationToken cancellationToken)
    {
        var scheduler = client.Scheduler;
        var supportsIdle = lease.Client.Capabilities.HasFlag(ImapCapabilities.Idle);
        var responseTimeout = client.Account.Timeout;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        DeadlineTimer? deadline = null;
        var wait = supportsIdle ? options.IdleTimeout ?? client.Account.IdleTimeout : options.PollInterval;
        using var restart = scheduler.Schedule(wait, () => SafeCancel(stop));
        publishStop(stop);
        try
        {
            lease.Connection.SetState(ImapConnectionState.Idle);
            idling(!supportsIdle);
            Diagnostics.Log.IdleStarted(client.Logger, lease.ConnectionId, what);
            if (supportsIdle)
            {
                while (true)
                {
                    using var round = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                    using var roundDeadline = deadline = new DeadlineTimer(scheduler, responseTimeout, abort);
                    using var startDeadline = round.Token.Register(roundDeadline.Start);
                    using var heartbeat = options.HeartbeatAfter is { } after && lease.Client.ProtocolLogger is LoginWatch connection
                        ? new SilenceWatch(scheduler, after, connection, () => SafeCancel(round))
                        : null;
                    await lease.Client.IdleAsync(round.Token, abort.Token).ConfigureAwait(false);
                    if (stop.IsCancellationRequested || heartbeat?.Probed != true)
                    {
                        break;
                    }

                    // The server answered the heartbeat's DONE: alive. Back to IDLE on the same connection.
                }
            }
            else
            {
                using var pollDeadline = deadline = new DeadlineTimer(scheduler, responseTimeout, abort);
                using var startDeadline = stop.Token.Register(pollDeadline.Start);
                await WhenCancelled(stop.Token).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                await lease.Client.NoOpAsync(abort.Token).ConfigureAwait(false);
            }

            lease.Connection.SetState(ImapConnectionState.Selected);
        }
        catch (OperationCanceledException) when (deadline?.Expired == true && !cancellationToken.IsCancellationRequested)
        {
            // Only the heartbeat ends IDLE without the round's stop: that DONE followed a silence.
            var why = !supportsIdle ? "a poll" : !stop.IsCancellationRequested ? "IDLE after a silence of " + Seconds(options.HeartbeatAfter ?? TimeSpan.Zero) : "IDLE";
            throw new TimeoutException(
                $"No answer from the server within {Seconds(responseTimeout)} of ending {why} on {what}: the connection is presumed dead.");
        }
        finally
        {
            publishStop(null);
        }
    }

    private static string Seconds(TimeSpan time) => $"{time.TotalSeconds:0.###} s";

    private static Task WhenCancelled(CancellationToken token)
    {
        var completion = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        token.Register(() => completion.TrySetResult(true));
        return completion.Task;
    }

    private static void SafeCancel(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The wait already ended and its token source is gone.
        }
    }
}
