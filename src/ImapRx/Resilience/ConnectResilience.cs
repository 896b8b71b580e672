using System;
using System.Threading.Tasks;
using ImapRx.Configuration;
using Polly;
using Polly.Retry;

namespace ImapRx.Resilience;

/// <summary>Polly pipeline for opening connections: transient failures are retried with exponential backoff on the pool's clock.</summary>
internal static class ConnectResilience
{
    internal static ResiliencePipeline Create(ImapAccountOptions account, TimeProvider timeProvider, Action<int, TimeSpan, Exception?>? onRetry)
    {
        if (account.ConnectPipeline is { } own)
        {
            return own; // the user's pipeline (ImapAccountOptions.ConnectPipeline) replaces the built-in retry
        }

        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider };
        if (account.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = account.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = account.RetryDelay,
                MaxDelay = account.MaxRetryDelay,

                // Never an authentication failure or a NO/BAD: TransientErrors decides, in one place.
                ShouldHandle = args => new ValueTask<bool>(args.Outcome.Exception is { } ex && TransientErrors.IsTransient(ex)),
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
