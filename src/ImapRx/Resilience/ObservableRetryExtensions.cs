using System;
using System.Reactive.Concurrency;
using System.Reactive.Linq;

namespace ImapRx.Resilience;

/// <summary>Retry with exponential backoff as an Rx operator; every delay runs on the given scheduler.</summary>
public static class ObservableRetryExtensions
{
    /// <summary>
    /// Resubscribes to <paramref name="source"/> after a failure that <see cref="BackoffOptions.ShouldRetry"/>
    /// accepts, waiting <see cref="BackoffOptions.DelayFor"/> on <paramref name="scheduler"/> first.
    /// After <see cref="BackoffOptions.MaxRetries"/> retries the last error is passed on.
    /// </summary>
    /// <param name="source">The sequence to resubscribe to.</param>
    /// <param name="options">Attempts, delays, jitter and which errors count as transient.</param>
    /// <param name="scheduler">Where the delays run; a TestScheduler in tests.</param>
    /// <param name="onRetry">Called before each wait with the attempt number, the delay and the error.</param>
    public static IObservable<T> RetryWithBackoff<T>(
        this IObservable<T> source,
        BackoffOptions options,
        IScheduler scheduler,
        Action<int, TimeSpan, Exception>? onRetry = null)
    {
        if (source is null)
        {
            throw new ArgumentNullException(nameof(source));
        }

        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
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
                if (attempt >= options.MaxRetries || !options.ShouldRetry(error))
                {
                    return Observable.Throw<T>(error);
                }

                attempt++;
                var delay = options.DelayFor(attempt);
                onRetry?.Invoke(attempt, delay, error);
                return Observable.Timer(delay, scheduler)
                    .SelectMany(_ => source)
                    .Catch((Exception next) => Retry(next));
            }
        });
    }
}
