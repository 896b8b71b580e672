using ImapRx.Pooling;
using ImapRx.Sandbox.Faults;
using ImapRx.Tests.Operations;
using ImapRx.Tests.Server;
using Microsoft.Reactive.Testing;

namespace ImapRx.Tests.Pooling;

/// <summary>The pool never has the server count an old session and its replacement at once.</summary>
[Collection(DovecotCollection.Name)]
public sealed class PoolSessionLimitTests(DovecotFixture fixture)
{
    [DovecotFact]
    public async Task LeaseAsync_EvictedConnectionStillLoggingOut_OpensTheNewOneOnlyAfterIt()
    {
        var user = await fixture.CreateUserAsync();
        await using var proxy = new FaultProxy(fixture.Server.PlainPort);
        var scheduler = new TestScheduler();
        await using var pool = new ImapConnectionPool(new ImapPoolOptions { Scheduler = scheduler });
        var account = NativeFetchSessionLimitTests.ThroughProxy(proxy, user, maxConnections: 1);
        await (await pool.LeaseAsync(account)).DisposeAsync();
        using var sampling = new CancellationTokenSource();
        var sampler = NativeFetchSessionLimitTests.SampleAsync(fixture.Server, user, sampling.Token);

        // The eviction closes the idle connection in the background; the server answers its LOGOUT 1.5 s late.
        var hold = proxy.HoldOnPattern(Direction.ClientToServer, " LOGOUT", TimeSpan.FromMilliseconds(1500));
        scheduler.AdvanceBy(account.ConnectionIdleLifetime.Ticks);
        await hold.WhenFired.WaitAsync(TimeSpan.FromSeconds(30));
        await using (var lease = await pool.LeaseAsync(account))
        {
            await lease.Client.NoOpAsync();
        }

        await Task.Delay(TimeSpan.FromSeconds(2)); // past the held LOGOUT: the sampler sees any overlap it made
        await sampling.CancelAsync();
        var (serverMax, samples) = await sampler;

        Assert.Equal(1, hold.FiredCount);
        Assert.Equal(2, proxy.TotalConnections);
        Assert.True(samples >= 3, $"only {samples} samples of the server's count");
        Assert.True(serverMax <= 1, $"Dovecot counted {serverMax} sessions at once with MaxConnections = 1");
    }
}
