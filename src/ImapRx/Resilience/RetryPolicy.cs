using System;
using ImapRx.Configuration;

namespace ImapRx.Resilience;

/// <summary>
/// An account's one retry policy: which failures are retried (<see cref="ImapErrors"/> decides), how often, and
/// how long to wait (exponential, capped, with jitter). The connect pipeline, the retry operator of the cold
/// streams and the reconnect loop of watches all take their delays and decisions from here.
/// </summary>
internal sealed class RetryPolicy
{
    private int _maxRetries = ImapAccountDefaults.MaxRetries;
    private TimeSpan _initialDelay = ImapAccountDefaults.RetryDelay;
    private TimeSpan _maxDelay = ImapAccountDefaults.MaxRetryDelay;
    private double _jitter = 0.2;

    /// <summary>Retries after the first failure; 0 means fail at once.</summary>
    /// <value>The default is 3.</value>
    internal int MaxRetries
    {
        get => _maxRetries;
        set => _maxRetries = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxRetries), value, "MaxRetries must not be negative.");
    }

    /// <summary>Delay before the first retry; each later one doubles.</summary>
    /// <value>The default is 5 seconds.</value>
    internal TimeSpan InitialDelay
    {
        get => _initialDelay;
        set => _initialDelay = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(InitialDelay), value, "InitialDelay must not be negative.");
    }

    /// <summary>The cap on one delay.</summary>
    /// <value>The default is 2 minutes.</value>
    internal TimeSpan MaxDelay
    {
        get => _maxDelay;
        set => _maxDelay = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(MaxDelay), value, "MaxDelay must not be negative.");
    }

    /// <summary>Random spread, as a fraction of the delay: 0.2 means ±20%. 0 gives exact delays.</summary>
    /// <value>The default is 0.2.</value>
    internal double Jitter
    {
        get => _jitter;
        set => _jitter = value is >= 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Jitter), value, "Jitter must be between 0 and 1.");
    }

    /// <summary>Which failures are retried.</summary>
    /// <value>The default is <see cref="ImapErrors.IsTransient(Exception)"/>.</value>
    internal Func<Exception, bool> ShouldRetry { get; set; } = ImapErrors.IsTransient;

    /// <summary>Source of randomness for jitter; replace for repeatable tests.</summary>
    internal Func<double> Random { get; set; } = SharedRandom.NextDouble;

    /// <summary>The policy of an account's retry settings.</summary>
    internal static RetryPolicy FromAccount(ImapAccountOptions account) => new()
    {
        MaxRetries = account.MaxRetries,
        InitialDelay = account.RetryDelay,
        MaxDelay = account.MaxRetryDelay,
    };

    /// <summary>The delay before retry number <paramref name="attempt"/> (1-based).</summary>
    internal TimeSpan DelayFor(int attempt)
    {
        var exponential = InitialDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        var capped = Math.Min(exponential, MaxDelay.TotalMilliseconds);
        var spread = Jitter == 0 ? 1 : 1 + Jitter * ((Random() * 2) - 1);
        return TimeSpan.FromMilliseconds(Math.Min(capped * spread, MaxDelay.TotalMilliseconds));
    }

    private static class SharedRandom
    {
        private static readonly System.Random Instance = new();

        internal static double NextDouble()
        {
            lock (Instance)
            {
                return Instance.NextDouble();
            }
        }
    }
}
