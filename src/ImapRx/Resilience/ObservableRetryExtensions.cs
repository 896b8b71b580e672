using System;
using System.Reactive.Concurrency;
using System.Reactive.Linq;

namespace ImapRx.Resilience;

/// <summary>The account's <see cref="RetryPolicy"/> as an Rx operator; every delay runs on the given scheduler.</summary>
internal static class ObservableRetryExtensions
{
    /// <summary>
    /// Resubscribes to <paramref name="source"/> after a failure that <see cref="RetryPolicy.ShouldRetry"/>
    /// accepts, waiting <see cref="RetryPolicy.DelayFor"/> on <paramref name="scheduler"/> first.
    /// After <see cref="RetryPolicy.MaxRetries"/> retries the last error is passed on.
    /// </summary>
    internal static IObservable<T> RetryWith<T>(
        this IObservable<T> source,
        RetryPolicy policy,
        IScheduler scheduler,
        Action<int, TimeSpan, Exception>? onRetry = null)
    {
        if (source is null)
        {
            throw new ArgumentNullException(nameof(source));
        }

        if (policy is null)
        {
            throw new ArgumentNullException(nameof(policy));
        }

        if (scheduler is null)
        {
            throw new ArgumentNullException(nameof(scheduler));
        }

        return Observable.Defer(() =>
        {
            var attempt = 0;
            return source.Catch((Exception error) => Retry(error));

            IObservable<T> Retry(Exception error)
            {
                if (attempt >= policy.MaxRetries || !policy.ShouldRetry(error))
                {
                    return Observable.Throw<T>(error);
                }

                attempt++;
                var delay = policy.DelayFor(attempt);
                onRetry?.Invoke(attempt, delay, error);
                return Observable.Timer(delay, scheduler)
                    .SelectMany(_ => source)
                    .Catch((Exception next) => Retry(next));
            }
        });
    }
}
