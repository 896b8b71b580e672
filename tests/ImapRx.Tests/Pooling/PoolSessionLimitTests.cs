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
    [DovecotFact]
    public async Task LeaseSlotAsync_WhileALeaseIsStillConnectingAndAnotherWentIdle_EvictsTheIdleOneSoNeverMoreThanTheLimit()
    {
        // Found running the suite with the native reader on by default (32 threads, pool of 3). The slot's check
        // counted open connections only: one still connecting for a lease is not counted yet, so with it in flight
        // and another connection idle, the slot saw room, kept the idle one, and the pool ended one over its limit.
        var user = await fixture.CreateUserAsync();
        await using var proxy = new FaultProxy(fixture.Server.PlainPort);
        await using var pool = new ImapConnectionPool();
        var account = NativeFetchSessionLimitTests.ThroughProxy(proxy, user, maxConnections: 2);
        var first = await pool.LeaseAsync(account); // connection 1, in use

        // The second lease finds nothing idle and connects; the server's greeting to it comes 2 s late.
        var hold = proxy.HoldOnPattern(Direction.ServerToClient, "* OK", TimeSpan.FromSeconds(2));
        var second = pool.LeaseAsync(account).AsTask();
        await hold.WhenFired.WaitAsync(TimeSpan.FromSeconds(30));
        await first.DisposeAsync(); // connection 1 goes idle while the second still connects

        await using (var slot = await pool.LeaseSlotAsync(account, CancellationToken.None))
        {
            await using var lease = await second.WaitAsync(TimeSpan.FromSeconds(30));
            await lease.Client.NoOpAsync();

            // The bulk slot, the second lease and nothing else: connection 1 was closed to make room.
            Assert.Equal(2, pool.GetStatistics(account).OpenConnections);
            Assert.Equal(0, pool.GetStatistics(account).IdleConnections);
            Assert.True(await fixture.Server.CountConnectionsAsync(user.Name) <= 1, "the idle connection is still open on the server");
        }

        Assert.Equal(1, hold.FiredCount);
    }
}
