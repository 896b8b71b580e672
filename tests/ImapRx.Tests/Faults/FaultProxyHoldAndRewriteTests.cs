using ImapRx.Sandbox.Faults;

namespace ImapRx.Tests.Faults;

public sealed class FaultProxyHoldAndRewriteTests
{
    [Fact]
    public async Task HoldOnPattern_ReplyMatching_HeldThenDeliveredWholeOnTheSameConnection()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var server = LoopbackServer.Echo();
        await using var proxy = new FaultProxy(server.Port);
        var hold = proxy.HoldOnPattern(Direction.ServerToClient, "[AUTHENTICATIONFAILED]", TimeSpan.FromSeconds(2));
        using var client = await Wire.ConnectAsync(proxy.Port, timeout.Token);
        var stream = client.GetStream();
        const string reply = "A1 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n";

        await stream.WriteAsync(Wire.Ascii(reply), timeout.Token);
        var held = await proxy.WaitForEventAsync(FaultEventKind.Held, timeout.Token);

        Assert.Equal(0, client.Available); // the hold is 2 s; the check is right after it started
        Assert.Equal(Direction.ServerToClient, held.Direction);
        Assert.Equal(reply, await Wire.ReadTextAsync(stream, reply.Length, timeout.Token));
        Assert.Equal(1, hold.FiredCount);
        Assert.False(hold.IsArmed); // Once
        Assert.Equal(1, proxy.ActiveConnections);
        Assert.Equal(0, proxy.CountEvents(FaultEventKind.Cut));
    }

    [Fact]
    public async Task Rewrite_PatternInAChunk_EveryOccurrenceReplacedUntilDisarmed()
    {
        using var timeout = new CancellationTokenSource(Wire.Patience);
        await using var server = LoopbackServer.Echo();
        await using var proxy = new FaultProxy(server.Port);
        var strip = proxy.Rewrite(Direction.ServerToClient, " STARTTLS", string.Empty);
        using var client = await Wire.ConnectAsync(proxy.Port, timeout.Token);
        var stream = client.GetStream();
        const string greeting = "* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN] ready STARTTLS\r\n";
        const string stripped = "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n";

        await stream.WriteAsync(Wire.Ascii(greeting), timeout.Token);
        Assert.Equal(stripped, await Wire.ReadTextAsync(stream, stripped.Length, timeout.Token));
        Assert.Equal(1, strip.RewrittenCount);
        Assert.Equal(1, proxy.CountEvents(FaultEventKind.Rewritten));
        Assert.Equal(greeting.Length, server.BytesReceived); // the client's side was not rewritten

        strip.Disarm();
        await stream.WriteAsync(Wire.Ascii(greeting), timeout.Token);
        Assert.Equal(greeting, await Wire.ReadTextAsync(stream, greeting.Length, timeout.Token));
        Assert.Equal(1, strip.RewrittenCount);
    }

    [Fact]
    public async Task ClearFaults_ArmedRewrite_IsDisarmed()
    {
        await using var proxy = new FaultProxy(143);
        var rewrite = proxy.Rewrite(Direction.ServerToClient, "A", "B");

        proxy.ClearFaults();

        Assert.False(rewrite.IsArmed);
    }

    [Fact]
    public async Task HoldAndRewrite_BadArguments_ThrowNamingTheParameter()
    {
        await using var proxy = new FaultProxy(143);

        Assert.Equal("holdFor", Assert.Throws<ArgumentOutOfRangeException>(() => proxy.HoldOnPattern(Direction.ServerToClient, "x", TimeSpan.Zero)).ParamName);
        Assert.Equal("direction", Assert.Throws<ArgumentException>(() => proxy.HoldOnPattern(Direction.Both, "x", TimeSpan.FromSeconds(1))).ParamName);
        Assert.Equal("pattern", Assert.Throws<ArgumentException>(() => proxy.Rewrite(Direction.ServerToClient, "", "y")).ParamName);
        Assert.Equal("replacement", Assert.Throws<ArgumentNullException>(() => proxy.Rewrite(Direction.ServerToClient, "x", null!)).ParamName);
    }
}
