using ImapRx.Configuration;
using ImapRx.Model;
using ImapRx.Sandbox.Faults;
using ImapRx.Sandbox.Server;
using ImapRx.Tests.Server;
using MailKit;

namespace ImapRx.Tests.Watching;

/// <summary>Watches whose connection is broken by the fault proxy in real time while another client changes the folder.</summary>
[Collection(DovecotWatchCollection.Name)]
public sealed class WatchFaultTests(DovecotFixture fixture)
{
    [DovecotFact]
    public async Task Watch_CutAndRefusedWhileAnotherClientAppends100_EveryMessageArrivesExactlyOnceInOrder()
    {
        var user = await fixture.CreateUserAsync();
        await using var proxy = new FaultProxy(fixture.Server.PlainPort);
        await using var client = new ImapRxClient(ThroughProxy(proxy, user));
        var events = new WatchTests.EventLog();
        using var subscription = client.Watch("INBOX").Subscribe(events.Add, events.Fail);
        await events.WaitForAsync<WatchIdling>(1);

        await using var other = await SandboxClient.ConnectAsync(fixture.Server, user);
        var generator = new CorpusGenerator(42);
        var appended = new List<uint>();
        for (var i = 0; i < 100; i++)
        {
            switch (i)
            {
                case 20:
                    Assert.Equal(1, proxy.CutAll()); // mid-IDLE, mid-catch-up: wherever the watch happens to be
                    break;
                case 45:
                    await events.WaitForAsync<WatchResumed>(1);
                    proxy.RefuseConnections(true);
                    proxy.CutAll();
                    break;
                case 70:
                    proxy.RefuseConnections(false);
                    break;
                case 85:
                    await events.WaitForAsync<WatchResumed>(2);
                    proxy.CutAll();
                    break;
            }

            appended.Add((await other.AppendAsync("INBOX", generator.CreateSmallMessage(i))).Id);
        }

        await events.WaitUntilAsync(() => events.ArrivedUids().Count >= 100);
        await Task.Delay(1500); // a duplicate would show up by now
        Assert.Equal(appended, events.ArrivedUids());
        Assert.True(proxy.CountEvents(FaultEventKind.Cut) >= 3, $"{proxy.CountEvents(FaultEventKind.Cut)} cuts");
        Assert.True(events.Of<WatchResumed>().Count >= 3, $"{events.Of<WatchResumed>().Count} resumes");
        Assert.Equal(100, events.Of<WatchResumed>().Sum(r => r.Arrived) + LiveArrivals(events));
        Assert.Null(events.Error);
        Reliability.ReliabilityFigures.Add("messages checked across watch reconnects", appended.Count);
        Reliability.ReliabilityFigures.Add("faults injected: cuts during IDLE", proxy.CountEvents(FaultEventKind.Cut));
    }

    [DovecotFact]
    public async Task Watch_ChangesDuringOutage_EmittedOnceBeforeResumedThenLiveEventsContinue()
    {
        var user = await fixture.CreateUserAsync();
        await using var other = await SandboxClient.ConnectAsync(fixture.Server, user);
        var generator = new CorpusGenerator(43);
        var kept = await other.AppendAsync("INBOX", generator.CreateSmallMessage(1)); // small message 0 is already \Flagged
        var doomed = await other.AppendAsync("INBOX", generator.CreateSmallMessage(2));
        await using var proxy = new FaultProxy(fixture.Server.PlainPort);
        var wire = new WireLog();
        await using var pool = new ImapRx.Pooling.ImapConnectionPool(new ImapRx.Pooling.ImapPoolOptions { ProtocolLog = wire.Open });
        await using var client = new ImapRxClient(ThroughProxy(proxy, user), pool);
        var events = new WatchTests.EventLog();
        using var subscription = client.Watch("INBOX").Subscribe(events.Add, events.Fail);
        await events.WaitForAsync<WatchIdling>(1);

        proxy.RefuseConnections(true);
        proxy.CutAll();
        await events.WaitForAsync<WatchReconnecting>(1);
        await other.AddFlagsAsync("INBOX", new[] { kept }, MessageFlags.Flagged);
        await other.ExpungeAsync("INBOX", new[] { doomed });
        var during = new List<uint>();
        for (var i = 4; i < 7; i++)
        {
            during.Add((await other.AppendAsync("INBOX", generator.CreateSmallMessage(i))).Id);
        }

        proxy.RefuseConnections(false);
        await events.WaitForAsync<WatchResumed>(1);
        var live = await other.AppendAsync("INBOX", generator.CreateSmallMessage(7));
        await events.WaitUntilAsync(() => events.ArrivedUids().Contains(live.Id));
        await Task.Delay(1000);

        var all = events.All();
        var resumedAt = all.FindIndex(e => e is WatchResumed);
        var gap = all.Skip(all.FindIndex(e => e is WatchReconnecting)).Take(resumedAt).ToList();
        Assert.Equal(new[] { doomed.Id }, Assert.Single(gap.OfType<MessagesExpunged>()).Uids);
        Assert.True(gap.OfType<FlagsChanged>().Count() == 1, string.Join("\n", all.Select(e => e.ToString())) + wire);
        var flagged = gap.OfType<FlagsChanged>().Single();
        Assert.Equal(kept.Id, flagged.Uid);
        Assert.Contains("\\Flagged", flagged.Flags);
        Assert.Equal(during, Assert.Single(gap.OfType<MessagesArrived>()).Uids);
        var resumed = (WatchResumed)all[resumedAt];
        Assert.Equal((3, 1, 1), (resumed.Arrived, resumed.Expunged, resumed.FlagChanges));
        Assert.Equal(during.Append(live.Id), events.ArrivedUids());
        Assert.Single(events.Of<MessagesExpunged>());
        Assert.Single(events.Of<FlagsChanged>());
    }

    private static int LiveArrivals(WatchTests.EventLog events)
    {
        // Arrivals outside a gap (between a Resumed and the next Reconnecting, or before the first one) are live.
        var live = 0;
        var inGap = false;
        foreach (var e in events.All())
        {
            switch (e)
            {
                case WatchReconnecting:
                    inGap = true;
                    break;
                case WatchResumed:
                    inGap = false;
                    break;
                case MessagesArrived arrived when !inGap:
                    live += arrived.Uids.Count;
                    break;
            }
        }

        return live;
    }

    /// <summary>Account options for the user through the proxy, with fast reconnects.</summary>
    internal static ImapAccountOptions ThroughProxy(FaultProxy proxy, SandboxUser user)
        => new(proxy.Host, user.Name, ImapCredential.FromPassword(user.Password))
        {
            Encryption = ImapEncryption.None,
            Port = proxy.Port,
            Timeout = TimeSpan.FromSeconds(20),
            MaxRetries = 1,
            RetryDelay = TimeSpan.FromMilliseconds(100),
            MaxRetryDelay = TimeSpan.FromMilliseconds(400),
        };
}
