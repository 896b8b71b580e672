using System;
using System.Threading.Tasks;
using Polly;
using Polly.Retry;

namespace ImapRx.Resilience;

/// <summary>
/// The Polly pipeline that opens an account's connections: the account's <see cref="RetryPolicy"/> decides what
/// is retried and how long each wait is (Polly's own jitter is off, so there is one jitter), on the pool's clock.
/// </summary>
internal static class ConnectResilience
{
    internal static ResiliencePipeline Create(RetryPolicy policy, ResiliencePipeline? own, TimeProvider timeProvider, Action<int, TimeSpan, Exception?>? onRetry)
    {
        if (own is not null)
        {
            return own; // the user's pipeline (ImapAccountOptions.ConnectPipeline) replaces the built-in retry
        }

        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider };
        if (policy.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = policy.MaxRetries,

                // Never an authentication failure or a NO/BAD: ImapErrors decides, in one place.
                ShouldHandle = args => new ValueTask<bool>(args.Outcome.Exception is { } ex && policy.ShouldRetry(ex)),
                DelayGenerator = args => new ValueTask<TimeSpan?>(policy.DelayFor(args.AttemptNumber + 1)),
                OnRetry = args =>
                {
                    onRetry?.Invoke(args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Exception);
                    return default;
                },
            });
        }

        return builder.Build();
    }
}
