using ImapRx.Configuration;
using ImapRx.Model;
using ImapRx.Pooling;
using ImapRx.Sandbox.Faults;
using ImapRx.Sandbox.Server;
using ImapRx.Tests.Server;

namespace ImapRx.Tests.Watching;

/// <summary>
/// A client that reaches the sandbox Dovecot through a fault proxy, with its pool on a virtual clock and every
/// connection's wire log captured: the parts a watch test needs to break the network and control time.
/// </summary>
internal sealed class WatchRig : IAsyncDisposable
{
    private WatchRig(FaultProxy proxy, ImapAccountOptions account)
    {
        Proxy = proxy;
        Account = account;
        Pool = new ImapConnectionPool(new ImapPoolOptions { Scheduler = Scheduler, ProtocolLog = Wire.Open });
        Client = new ImapRxClient(account, Pool);
        Start = Scheduler.Now;
    }

    public LockedTestScheduler Scheduler { get; } = new();

    public WireLog Wire { get; } = new();

    public WatchTests.EventLog Events { get; } = new();

    public FaultProxy Proxy { get; }

    public ImapAccountOptions Account { get; }

    public ImapConnectionPool Pool { get; }

    public ImapRxClient Client { get; }

    /// <summary>The virtual clock's reading when the rig was built.</summary>
    public DateTimeOffset Start { get; }

    /// <summary>
    /// Plain IMAP through the proxy (the wire log shows the commands either way). Connect retries are off so
    /// only the watch's own backoff decides when to try again; 1 s doubling to at most 4 s. The response timeout is
    /// 20 s unless <paramref name="timeout"/> says otherwise.
    /// </summary>
    public static WatchRig Create(DovecotServer server, SandboxUser user, TimeSpan? timeout = null)
    {
        var proxy = new FaultProxy(server.PlainPort);
        var account = new ImapAccountOptions(proxy.Host, user.Name, ImapCredential.FromPassword(user.Password))
        {
            Encryption = ImapEncryption.None,
            Port = proxy.Port,
            Timeout = timeout ?? TimeSpan.FromSeconds(20),
            MaxRetries = 0,
            RetryDelay = TimeSpan.FromSeconds(1),
            MaxRetryDelay = TimeSpan.FromSeconds(4),
        };
        return new WatchRig(proxy, account);
    }

    public IDisposable Watch(string folder, ImapRx.Watching.WatchOptions options)
        => Client.Watch(folder, options).Subscribe(Events.Add, Events.Fail);

    /// <summary>Advances the clock to one tick before <paramref name="time"/> from now, checks nothing happened, then takes the last tick.</summary>
    public async Task AdvanceToTheTickAsync(TimeSpan time, Func<bool> nothingYet, string what)
    {
        Scheduler.AdvanceBy(time - TimeSpan.FromTicks(1));
        await Task.Delay(250); // a real thread that wrongly reacted early would have done so by now
        Assert.True(nothingYet(), $"{what} happened before its time; wire:\n{Wire}");
        Scheduler.AdvanceBy(TimeSpan.FromTicks(1));
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Pool.DisposeAsync();
        await Proxy.DisposeAsync();
    }
}
