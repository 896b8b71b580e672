using ImapRx.Model;
using ImapRx.Pooling;
using ImapRx.Resilience;
using ImapRx.Sandbox.Faults;
using ImapRx.Sandbox.Server;
using ImapRx.Tests.Server;
using ImapRx.Watching;

namespace ImapRx.Tests.Watching;

/// <summary>
/// The watch's timing on a virtual clock against the real server: IDLE restarts, dead-connection detection and
/// reconnect delays happen at exactly the scheduled tick, never before, whatever the real clock does.
/// </summary>
[Collection(DovecotWatchCollection.Name)]
public sealed class WatchVirtualTimeTests(DovecotFixture fixture)
{
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(10);

    // These tests time the IDLE restart itself, so the heartbeat (which would end a virtually silent IDLE after
    // a minute) is off here; WatchHeartbeatTests covers it.
    private static WatchOptions Restarting(int? maxReconnectAttempts = null)
        => new() { IdleTimeout = IdleTimeout, HeartbeatAfter = null, MaxReconnectAttempts = maxReconnectAttempts };

    [DovecotFact]
    public async Task Watch_VirtualTime_RestartsIdleExactlyEveryIdleTimeoutOnOneConnection()
    {
        var user = await fixture.CreateUserAsync();
        await using var rig = WatchRig.Create(fixture.Server, user);
        using var subscription = rig.Watch("INBOX", Restarting());
        await rig.Wire.WaitForCountAsync("S: + idling", 1);

        for (var restart = 1; restart <= 4; restart++)
        {
            var done = restart - 1;
            await rig.AdvanceToTheTickAsync(IdleTimeout, () => rig.Wire.Count("C: DONE") == done, $"restart {restart}");
            await rig.Wire.WaitForCountAsync("S: + idling", restart + 1);
            Assert.Equal(restart, rig.Wire.Count("C: DONE"));
        }

        var idleStarts = rig.Events.Of<WatchIdling>().Select(e => (e.Timestamp - rig.Start).TotalMinutes);
        Assert.Equal(new double[] { 0, 10, 20, 30, 40 }, idleStarts);
        Assert.Equal(1, rig.Proxy.TotalConnections);
        Assert.Empty(rig.Events.Of<WatchReconnecting>());
    }

    [DovecotFact]
    public async Task Watch_VirtualTime_ServerSilentAfterDone_DetectedAtTheResponseTimeoutThenGapFilled()
    {
        var user = await fixture.CreateUserAsync();
        await using var rig = WatchRig.Create(fixture.Server, user);
        using var subscription = rig.Watch("INBOX", Restarting());
        await rig.Wire.WaitForCountAsync("S: + idling", 1);

        // The server goes silent: DONE is sent but its OK never comes back.
        rig.Proxy.Stall(Direction.ServerToClient);
        rig.Scheduler.AdvanceBy(IdleTimeout);
        await rig.Wire.WaitForCountAsync("C: DONE", 1);
        await rig.AdvanceToTheTickAsync(rig.Account.Timeout, () => rig.Events.Of<WatchReconnecting>().Count == 0, "dead-connection detection");

        var reconnecting = (await rig.Events.WaitForAsync<WatchReconnecting>(1))[0];
        Assert.Equal(1, reconnecting.Attempt);
        Assert.Contains("presumed dead", reconnecting.Reason, StringComparison.Ordinal);
        Assert.Equal(IdleTimeout + rig.Account.Timeout, reconnecting.Timestamp - rig.Start);

        // Mail arrives during the outage; the reconnect waits exactly its backoff, then fills the gap.
        rig.Proxy.ClearFaults();
        await using var other = await SandboxClient.ConnectAsync(fixture.Server, user);
        var uid = await other.AppendAsync("INBOX", new CorpusGenerator(41).CreateSmallMessage(0));
        await rig.AdvanceToTheTickAsync(reconnecting.Delay, () => rig.Events.Of<WatchConnected>().Count == 1, "the reconnect");

        var resumed = (await rig.Events.WaitForAsync<WatchResumed>(1))[0];
        Assert.Equal(1, resumed.Arrived);
        Assert.Equal(reconnecting.Delay, resumed.Gap);
        Assert.Equal(new[] { uid.Id }, rig.Events.ArrivedUids());
        Assert.Equal(2, rig.Events.Of<WatchConnected>().Count);
        Assert.Null(rig.Events.Error);
    }

    [DovecotFact]
    public async Task Watch_VirtualTime_ServerRefusing_ReconnectsWithDoublingCappedDelaysThenRecovers()
    {
        var user = await fixture.CreateUserAsync();
        await using var rig = WatchRig.Create(fixture.Server, user);
        using var subscription = rig.Watch("INBOX", Restarting());
        await rig.Wire.WaitForCountAsync("S: + idling", 1);

        rig.Proxy.RefuseConnections(true);
        rig.Proxy.CutAll();
        var jitter = new RetryPolicy().Jitter;
        var nominal = new[] { 1.0, 2, 4, 4, 4 }; // RetryDelay 1 s doubling, capped at MaxRetryDelay 4 s
        var elapsed = TimeSpan.Zero;
        for (var attempt = 1; attempt <= nominal.Length; attempt++)
        {
            var current = (await rig.Events.WaitForAsync<WatchReconnecting>(attempt))[attempt - 1];
            Assert.Equal(attempt, current.Attempt);
            Assert.InRange(current.Delay.TotalSeconds, nominal[attempt - 1] * (1 - jitter), Math.Min(nominal[attempt - 1] * (1 + jitter), 4));
            if (attempt > 1)
            {
                Assert.Equal(elapsed, current.Timestamp - rig.Events.Of<WatchReconnecting>()[0].Timestamp);
            }

            if (attempt == nominal.Length)
            {
                rig.Proxy.RefuseConnections(false);
            }

            var seen = attempt;
            await rig.AdvanceToTheTickAsync(current.Delay, () => rig.Events.Of<WatchReconnecting>().Count == seen && rig.Events.Of<WatchConnected>().Count == 1, $"reconnect attempt {attempt + 1}");
            elapsed += current.Delay;
        }

        var resumed = (await rig.Events.WaitForAsync<WatchResumed>(1))[0];
        Assert.Equal(elapsed, resumed.Gap);
        Assert.Equal(nominal.Length, rig.Events.Of<WatchReconnecting>().Count);
        Assert.Equal(2, rig.Proxy.TotalConnections); // the refused attempts never got through
        Assert.Null(rig.Events.Error);
    }

    [DovecotFact]
    public async Task Watch_VirtualTime_MaxReconnectAttemptsSpent_FailsWithTheConnectError()
    {
        var user = await fixture.CreateUserAsync();
        await using var rig = WatchRig.Create(fixture.Server, user);
        using var subscription = rig.Watch("INBOX", Restarting(maxReconnectAttempts: 2));
        await rig.Wire.WaitForCountAsync("S: + idling", 1);

        rig.Proxy.RefuseConnections(true);
        rig.Proxy.CutAll();
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            var current = (await rig.Events.WaitForAsync<WatchReconnecting>(attempt))[attempt - 1];
            rig.Scheduler.AdvanceBy(current.Delay);
        }

        await rig.Events.WaitUntilAsync(() => rig.Events.Error is not null);
        var error = Assert.IsType<ImapConnectException>(rig.Events.Error);
        Assert.Equal(rig.Proxy.Port, error.Port);
        Assert.Equal(2, rig.Events.Of<WatchReconnecting>().Count);
        Assert.Equal(0, rig.Pool.GetStatistics(rig.Account).LeasesInUse);
    }
}
