using System;
using System.Reactive.Linq;
using System.Threading;
using System.Threading.Tasks;
using ImapRx.Pooling;
using ImapRx.Resilience;

namespace ImapRx.Operations;

/// <summary>
/// How every cold stream runs: per subscription, lease a connection, do the work with the subscription's token,
/// translate a failure once (<see cref="ImapErrors"/>), throw a broken connection away instead of pooling it, and,
/// for work that may safely run again, retry with the account's policy on the client's scheduler.
/// </summary>
internal static class Leased
{
    /// <param name="context">Account, pool, clock and retry policy.</param>
    /// <param name="operation">What the work is, for error messages (e.g. <c>Search in 'INBOX'</c>); never a secret.</param>
    /// <param name="retry">
    /// True for work that is safe to repeat after a transient failure (reads, and writes whose effect is the same
    /// done twice). False for work that may have reached the server and would act twice (APPEND, COPY, MOVE).
    /// </param>
    /// <param name="work">The work, given the lease, the observer and the subscription's cancellation token.</param>
    internal static IObservable<T> Run<T>(
        ClientContext context,
        string operation,
        bool retry,
        Func<ImapLease, IObserver<T>, CancellationToken, Task> work)
    {
        // Disposing the client cancels the work and fails the stream with ObjectDisposedException (ClientLifetime).
        var once = Observable.Create<T>((observer, subscription) => context.Lifetime.RunAsync(observer, subscription, async cancellationToken =>
        {
            var lease = await context.Pool.LeaseAsync(context.Account, cancellationToken).ConfigureAwait(false);
            try
            {
                await work(lease, observer, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                lease.Fail(ex);
                var error = ImapErrors.Translate(ex, operation);
                if (ReferenceEquals(error, ex))
                {
                    throw;
                }

                if (ex is NotAConnectionFailure)
                {
                    // The caller's own failure, passed on as it was thrown, with its own stack trace.
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
                }

                throw error;
            }
            finally
            {
                await lease.DisposeAsync().ConfigureAwait(false);
            }

            // OnCompleted comes from ClientLifetime.RunAsync, once the work has returned.
        }));
        return retry ? once.RetryWith(context.Retry, context.Scheduler) : once;
    }
}
