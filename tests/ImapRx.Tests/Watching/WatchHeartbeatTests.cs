using ImapRx.Configuration;
using ImapRx.Model;
using ImapRx.Pooling;
using ImapRx.Sandbox.Faults;
using ImapRx.Sandbox.Server;
using ImapRx.Tests.Server;
using ImapRx.Watching;

namespace ImapRx.Tests.Watching;

/// <summary>
/// A connection that dies without a FIN during IDLE (the proxy stalls the server's side: the socket stays open,
/// so TCP keepalive could not see it) is noticed within HeartbeatAfter + Timeout; a healthy quiet server costs
/// one DONE/IDLE round trip per silent interval and nothing more.
/// </summary>
[Collection(DovecotWatchCollection.Name)]
public sealed class WatchHeartbeatTests(DovecotFixture fixture)
{
    [DovecotFact]
    public async Task Watch_DefaultOptionsVirtualTime_StalledIdleNoticedAt90SecondsAndResumed()
    {
        var user = await fixture.CreateUserAsync();
        await using var rig = WatchRig.Create(fixture.Server, user, timeout: ImapAccountDefaults.Timeout);
        using var subscription = rig.Watch("INBOX", WatchOptions.Default);
        await rig.Wire.WaitForCountAsync("S: + idling", 1);

        // The connection dies silently: nothing from the server any more, and no FIN either.
        rig.Proxy.Stall(Direction.ServerToClient);
        await rig.AdvanceToTheTickAsync(WatchOptions.DefaultHeartbeatAfter, () => rig.Wire.Count("C: DONE") == 0, "the heartbeat");
        await rig.Wire.WaitForCountAsync("C: DONE", 1);
        await rig.AdvanceToTheTickAsync(ImapAccountDefaults.Timeout, () => rig.Events.Of<WatchReconnecting>().Count == 0, "dead-connection detection");

        var reconnecting = (await rig.Events.WaitForAsync<WatchReconnecting>(1))[0];
        var noticedAfter = reconnecting.Timestamp - rig.Start;
        Assert.Equal(TimeSpan.FromSeconds(90), noticedAfter);
        Assert.True(noticedAfter < TimeSpan.FromMinutes(2));
        Assert.Contains("presumed dead", reconnecting.Reason, StringComparison.Ordinal);
        Assert.Contains("silence of 60 s", reconnecting.Reason, StringComparison.Ordinal);
        Assert.True(rig.Proxy.CountEvents(FaultEventKind.StallHeld) >= 1, "the stall never held the server's answer");

        rig.Proxy.ClearFaults();
        await using var other = await SandboxClient.ConnectAsync(fixture.Server, user);
        var uid = await other.AppendAsync("INBOX", new CorpusGenerator(61).CreateSmallMessage(0));
        rig.Scheduler.AdvanceBy(reconnecting.Delay);
        var resumed = (await rig.Events.WaitForAsync<WatchResumed>(1))[0];
        Assert.Equal(1, resumed.Arrived);
        Assert.Equal(new[] { uid.Id }, rig.Events.ArrivedUids());
        Assert.Null(rig.Events.Error);
    }

    [DovecotFact]
    public async Task Watch_HealthyQuietServerVirtualTime_OneDoneIdlePerSilentMinuteOnOneConnectionAndNoEvents()
    {
        var user = await fixture.CreateUserAsync();
        await using var rig = WatchRig.Create(fixture.Server, user, timeout: ImapAccountDefaults.Timeout);
        WithoutDovecotsOwnKeepalive(rig);
        using var subscription = rig.Watch("INBOX", WatchOptions.Default);
        await rig.Wire.WaitForCountAsync("S: + idling", 1);

        for (var beat = 1; beat <= 3; beat++)
        {
            var before = beat - 1;
            await rig.AdvanceToTheTickAsync(WatchOptions.DefaultHeartbeatAfter, () => rig.Wire.Count("C: DONE") == before, $"heartbeat {beat}");
            await rig.Wire.WaitForCountAsync("S: + idling", beat + 1); // answered and back in IDLE
        }

        // Well past the response deadline of the last heartbeat: it was answered, so nothing fires.
        rig.Scheduler.AdvanceBy(ImapAccountDefaults.Timeout);
        await Task.Delay(250);
        Assert.Equal(3, rig.Wire.Count("C: DONE"));
        Assert.Equal(1, rig.Proxy.TotalConnections);
        Assert.Single(rig.Events.Of<WatchIdling>()); // the heartbeat is not announced as a new IDLE
        Assert.Empty(rig.Events.Of<WatchReconnecting>());
        Assert.Null(rig.Events.Error);
    }

    [DovecotFact]
    public async Task Watch_ServerSpeaksDuringIdle_HeartbeatCountsFromItsLastWord()
    {
        var user = await fixture.CreateUserAsync();
        await using var rig = WatchRig.Create(fixture.Server, user, timeout: ImapAccountDefaults.Timeout);
        WithoutDovecotsOwnKeepalive(rig);
        using var subscription = rig.Watch("INBOX", WatchOptions.Default);
        await rig.Wire.WaitForCountAsync("S: + idling", 1);

        // 40 s into the IDLE the server says it is still there, as Dovecot does every imap_idle_notify_interval.
        rig.Scheduler.AdvanceBy(TimeSpan.FromSeconds(40));
        Assert.Equal(1, await rig.Proxy.InjectGarbageAsync(Direction.ServerToClient, "* OK Still here\r\n"));
        await rig.Wire.WaitForCountAsync("S: * OK Still here", 1);
        Assert.Equal(0, rig.Wire.Count("C: DONE"));

        // So the next heartbeat is due 60 s after that word (at 100 s), not at 60 s.
        await rig.AdvanceToTheTickAsync(TimeSpan.FromSeconds(60), () => rig.Wire.Count("C: DONE") == 0, "the heartbeat after the server spoke");
        await rig.Wire.WaitForCountAsync("C: DONE", 1);
        await rig.Wire.WaitForCountAsync("S: + idling", 2);
        Assert.Equal(1, rig.Proxy.TotalConnections);
        Assert.Empty(rig.Events.Of<WatchReconnecting>());
    }

    [DovecotFact]
    public async Task Watch_RealTimeShortHeartbeat_StalledIdleReconnectsAndHealthyIdleDoesNot()
    {
        var user = await fixture.CreateUserAsync();
        await using var proxy = new FaultProxy(fixture.Server.PlainPort);
        var wire = new WireLog();
        await using var pool = new ImapConnectionPool(new ImapPoolOptions { ProtocolLog = wire.Open });
        var account = new ImapAccountOptions(proxy.Host, user.Name, ImapCredential.FromPassword(user.Password))
        {
            Encryption = ImapEncryption.None,
            Port = proxy.Port,
            Timeout = TimeSpan.FromSeconds(1),
            MaxRetries = 0,
            RetryDelay = TimeSpan.FromMilliseconds(100),
        };
        await using var client = new ImapRxClient(account, pool);
        var events = new WatchTests.EventLog();
        using var subscription = client.Watch("INBOX", new WatchOptions { HeartbeatAfter = TimeSpan.FromSeconds(1) }).Subscribe(events.Add, events.Fail);

        // Healthy: heartbeats come and are answered on the one connection.
        await wire.WaitForCountAsync("S: + idling", 3);
        Assert.True(wire.Count("C: DONE") >= 2);
        Assert.Empty(events.Of<WatchReconnecting>());
        Assert.Equal(1, proxy.TotalConnections);

        proxy.Stall(Direction.ServerToClient);
        var reconnecting = (await events.WaitForAsync<WatchReconnecting>(1))[0];
        Assert.Contains("presumed dead", reconnecting.Reason, StringComparison.Ordinal);

        proxy.ClearFaults();
        await events.WaitForAsync<WatchResumed>(1);
        Assert.True(proxy.TotalConnections >= 2);
        Assert.Null(events.Error);
    }

    [Fact]
    public void HeartbeatAfter_OutOfRange_ThrowsNamingIt()
    {
        Assert.Equal("HeartbeatAfter", Assert.Throws<ArgumentOutOfRangeException>(() => new WatchOptions { HeartbeatAfter = TimeSpan.FromMilliseconds(999) }).ParamName);
        Assert.Equal("HeartbeatAfter", Assert.Throws<ArgumentOutOfRangeException>(() => new WatchOptions { HeartbeatAfter = TimeSpan.FromMinutes(30) }).ParamName);
        Assert.Null(new WatchOptions { HeartbeatAfter = null }.HeartbeatAfter);
        Assert.Equal(TimeSpan.FromSeconds(60), new WatchOptions().HeartbeatAfter);
    }

    // Dovecot sends "* OK Still here" at a real-time moment of its own choosing (the first within
    // imap_idle_notify_interval, 2 min); on a virtual clock that would move the heartbeat by a random amount.
    private static void WithoutDovecotsOwnKeepalive(WatchRig rig)
        => rig.Proxy.Rewrite(Direction.ServerToClient, "* OK Still here\r\n", string.Empty);
}
