namespace ImapRx.Orleans.Tests;

public sealed class ImapAccountGrainBackoffTests
{
    private static readonly ImapRxOrleansOptions Options = new() { RetryDelay = TimeSpan.FromSeconds(1), MaxRetryDelay = TimeSpan.FromSeconds(10) };

    [Fact]
    public void Backoff_FailuresWithoutASync_DoubleUpToTheMaximum()
    {
        var waits = new List<double>();
        var next = Options.RetryDelay;
        for (var failure = 0; failure < 6; failure++)
        {
            (var wait, next) = ImapAccountGrain.Backoff(next, syncedBeforeFailing: false, Options);
            waits.Add(wait.TotalSeconds);
        }

        Assert.Equal(new[] { 1.0, 2, 4, 8, 10, 10 }, waits);
    }

    [Fact]
    public void Backoff_FailureAfterAConnectionThatSynced_StartsOverFromTheFirstDelay()
    {
        var next = Options.RetryDelay;
        for (var failure = 0; failure < 5; failure++)
        {
            (_, next) = ImapAccountGrain.Backoff(next, syncedBeforeFailing: false, Options);
        }

        var (wait, after) = ImapAccountGrain.Backoff(next, syncedBeforeFailing: true, Options);

        Assert.Equal(TimeSpan.FromSeconds(10), next);
        Assert.Equal(TimeSpan.FromSeconds(1), wait);
        Assert.Equal(TimeSpan.FromSeconds(2), after);
    }
}
