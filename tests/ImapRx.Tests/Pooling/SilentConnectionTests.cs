using ImapRx.Configuration;
using ImapRx.Pooling;
using ImapRx.Sandbox.Faults;
using ImapRx.Tests.Server;
using Microsoft.Reactive.Testing;

namespace ImapRx.Tests.Pooling;

/// <summary>
/// Pooled connections that die without a FIN: one in use fails its command at the account's Timeout and is
/// thrown away; one resting in the pool is found dead by the NOOP health check before it is handed out again.
/// </summary>
[Collection(DovecotCollection.Name)]
public sealed class SilentConnectionTests(DovecotFixture fixture)
{
    [DovecotFact]
    public async Task Lease_ServerGoesSilentDuringACommand_FailsWithATimeoutAndIsDiscarded()
    {
        var user = await fixture.CreateUserAsync();
        await using var proxy = new FaultProxy(fixture.Server.PlainPort);
        await using var pool = new ImapConnectionPool();
        var account = ThroughProxy(proxy, user.Name, user.Password);

        var lease = await pool.LeaseAsync(account);
        proxy.Stall(Direction.ServerToClient);
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => lease.Client.NoOpAsync());
        lease.Fail(failure);
        await lease.DisposeAsync();

        Assert.IsType<ImapConnectionException>(ImapErrors.Translate(failure));
        Assert.Contains(Chain(failure), e => e is TimeoutException);
        Assert.True(proxy.CountEvents(FaultEventKind.StallHeld) >= 1);
        Assert.Equal(0, pool.GetStatistics(account).OpenConnections);
    }

    [DovecotFact]
    public async Task LeaseAsync_PooledConnectionDiedSilently_HealthCheckReplacesItBeforeHandingItOut()
    {
        var user = await fixture.CreateUserAsync();
        await using var proxy = new FaultProxy(fixture.Server.PlainPort);
        var scheduler = new TestScheduler();
        await using var pool = new ImapConnectionPool(new ImapPoolOptions { Scheduler = scheduler });
        var account = ThroughProxy(proxy, user.Name, user.Password);
        string first;
        await using (var lease = await pool.LeaseAsync(account))
        {
            first = lease.ConnectionId;
        }

        // The resting connection's server stops answering (no FIN): the health check's NOOP gets no reply.
        var silent = proxy.HoldOnPattern(Direction.ServerToClient, "OK NOOP completed", TimeSpan.FromSeconds(30));
        scheduler.AdvanceBy(ImapAccountDefaults.HealthCheckAfter.Ticks);
        await using (var lease = await pool.LeaseAsync(account))
        {
            Assert.NotEqual(first, lease.ConnectionId);
            await lease.Client.NoOpAsync();
        }

        Assert.Equal(1, silent.FiredCount);
        Assert.Equal(2, proxy.TotalConnections);
    }

    [DovecotFact]
    public async Task LeaseAsync_EveryConnection_HasTcpKeepaliveDueWithin60Seconds()
    {
        var user = await fixture.CreateUserAsync();
        await using var proxy = new FaultProxy(fixture.Server.PlainPort);
        await using var pool = new ImapConnectionPool();

        await using var lease = await pool.LeaseAsync(ThroughProxy(proxy, user.Name, user.Password));

        AssertKeepaliveDueWithin60Seconds(proxy);
    }

    [DovecotFact]
    public async Task OpenAsync_NativeReadersBulkSession_HasTcpKeepaliveDueWithin60Seconds()
    {
        var user = await fixture.CreateUserAsync();
        await using var proxy = new FaultProxy(fixture.Server.PlainPort);

        await using var session = await ImapRx.Wire.WireSession.OpenAsync(ThroughProxy(proxy, user.Name, user.Password), CancellationToken.None);

        AssertKeepaliveDueWithin60Seconds(proxy);
    }

    private static void AssertKeepaliveDueWithin60Seconds(FaultProxy proxy)
    {
        // Our side of the connection (IPv4, or IPv6 for a dual-mode socket) is the one whose remote port is the proxy's. Its timer field is
        // "02:<when>": the keepalive timer, due in <when> clock ticks (USER_HZ, 100 per second).
        var ours = new[] { "/proc/net/tcp", "/proc/net/tcp6" }.Where(File.Exists).SelectMany(table => File.ReadLines(table).Skip(1))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f[3] == "01" && int.Parse(f[2].AsSpan(f[2].IndexOf(':') + 1), System.Globalization.NumberStyles.HexNumber) == proxy.Port)
            .ToList();
        var timer = Assert.Single(ours)[5].Split(':');
        Assert.Equal("02", timer[0]);
        var dueInSeconds = Convert.ToInt64(timer[1], 16) / 100.0;
        Assert.InRange(dueInSeconds, 1, 60);
    }

    private static ImapAccountOptions ThroughProxy(FaultProxy proxy, string user, string password)
        => new(proxy.Host, user, ImapCredential.FromPassword(password))
        {
            Encryption = ImapEncryption.None,
            Port = proxy.Port,
            Timeout = TimeSpan.FromSeconds(2),
            MaxRetries = 0,
            MaxConnections = 1,
        };

    private static IEnumerable<Exception> Chain(Exception? error)
    {
        for (; error is not null; error = error.InnerException)
        {
            yield return error;
        }
    }
}
