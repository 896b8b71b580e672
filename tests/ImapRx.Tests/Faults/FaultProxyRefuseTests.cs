using System.Net.Sockets;
using ImapRx.Sandbox.Faults;

namespace ImapRx.Tests.Faults;

public sealed class FaultProxyRefuseTests
{
    [Fact]
    public async Task RefuseConnections_OnThenOff_ConnectIsRefusedThenWorksOnTheSamePort()
    {
        using var timeout = new CancellationTokenSource(Wire.Patience);
        await using var server = LoopbackServer.Echo();
        await using var proxy = new FaultProxy(server.Port);
        var port = proxy.Port;

        proxy.RefuseConnections(true);
        var refused = await Assert.ThrowsAsync<SocketException>(() => Wire.ConnectAsync(proxy.Port, timeout.Token));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        Assert.True(proxy.IsRefusingConnections);

        proxy.RefuseConnections(false);
        using var client = await Wire.ConnectAsync(proxy.Port, timeout.Token);
        await client.GetStream().WriteAsync(Wire.Ascii("back"), timeout.Token);

        Assert.Equal("back", await Wire.ReadTextAsync(client.GetStream(), 4, timeout.Token));
        Assert.Equal(port, proxy.Port);
        Assert.Equal(1, proxy.TotalConnections);
        Assert.Equal(1, proxy.CountEvents(FaultEventKind.RefusingStarted));
        Assert.Equal(1, proxy.CountEvents(FaultEventKind.RefusingStopped));
    }

    [Fact]
    public async Task RefuseConnections_On_LiveConnectionKeepsWorking()
    {
        using var timeout = new CancellationTokenSource(Wire.Patience);
        await using var server = LoopbackServer.Echo();
        await using var proxy = new FaultProxy(server.Port);
        using var client = await Wire.ConnectAsync(proxy.Port, timeout.Token);

        proxy.RefuseConnections(true);
        await client.GetStream().WriteAsync(Wire.Ascii("still"), timeout.Token);

        Assert.Equal("still", await Wire.ReadTextAsync(client.GetStream(), 5, timeout.Token));
    }

    [Fact]
    public async Task RefuseConnections_ToggledRepeatedly_EveryPhaseBehaves()
    {
        using var timeout = new CancellationTokenSource(Wire.Patience);
        await using var server = LoopbackServer.Echo();
        await using var proxy = new FaultProxy(server.Port);

        for (var round = 0; round < 5; round++)
        {
            proxy.RefuseConnections(true);
            await Assert.ThrowsAsync<SocketException>(() => Wire.ConnectAsync(proxy.Port, timeout.Token));
            proxy.RefuseConnections(false);
            using var client = await Wire.ConnectAsync(proxy.Port, timeout.Token);
            await client.GetStream().WriteAsync(new[] { (byte)round }, timeout.Token);
            Assert.Equal(round, (await Wire.ReadExactlyAsync(client.GetStream(), 1, timeout.Token))[0]);
        }

        Assert.Equal(5, proxy.TotalConnections);
    }

    [Fact]
    public async Task ResetNewConnections_On_ConnectionIsResetWithoutReachingServer()
    {
        using var timeout = new CancellationTokenSource(Wire.Patience);
        await using var server = LoopbackServer.Echo();
        await using var proxy = new FaultProxy(server.Port);

        proxy.ResetNewConnections(true);

        Assert.Empty(await Wire.ConnectAndReadUntilClosedAsync(proxy.Port, timeout.Token));
        await proxy.WaitForEventAsync(FaultEventKind.ConnectionReset, timeout.Token);

        Assert.Equal(1, proxy.CountEvents(FaultEventKind.ConnectionReset));
        Assert.Equal(0, server.Accepted);

        proxy.ResetNewConnections(false);
        using var next = await Wire.ConnectAsync(proxy.Port, timeout.Token);
        await next.GetStream().WriteAsync(Wire.Ascii("ok"), timeout.Token);
        Assert.Equal("ok", await Wire.ReadTextAsync(next.GetStream(), 2, timeout.Token));
    }

    [Fact]
    public async Task ClearFaults_AfterEveryKind_ProxyForwardsNormally()
    {
        using var timeout = new CancellationTokenSource(Wire.Patience);
        await using var server = LoopbackServer.Echo();
        await using var proxy = new FaultProxy(server.Port);
        var rule = proxy.CutOnPattern(Direction.ClientToServer, "x", FaultScope.EveryConnection);
        proxy.Stall();
        proxy.Delay(TimeSpan.FromSeconds(10));
        proxy.ResetNewConnections(true);
        proxy.RefuseConnections(true);

        proxy.ClearFaults();
        using var client = await Wire.ConnectAsync(proxy.Port, timeout.Token);
        await client.GetStream().WriteAsync(Wire.Ascii("xyz"), timeout.Token);

        Assert.Equal("xyz", await Wire.ReadTextAsync(client.GetStream(), 3, timeout.Token));
        Assert.False(rule.IsArmed);
        Assert.False(proxy.IsRefusingConnections);
    }
}
