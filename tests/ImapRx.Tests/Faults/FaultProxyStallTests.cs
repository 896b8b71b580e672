using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using ImapRx.Sandbox.Faults;

namespace ImapRx.Tests.Faults;

public sealed class FaultProxyStallTests
{
    [Fact]
    public async Task Stall_ThenResume_DeliversEverythingWithNothingLost()
    {
        using var timeout = new CancellationTokenSource(Wire.Patience);
        await using var server = LoopbackServer.Echo();
        await using var proxy = new FaultProxy(server.Port);
        using var client = await Wire.ConnectAsync(proxy.Port, timeout.Token);
        var stream = client.GetStream();
        var sent = Wire.RandomBytes(256 * 1024, seed: 11);

        proxy.Stall();
        var writing = stream.WriteAsync(sent, timeout.Token).AsTask();
        var held = await proxy.WaitForEventAsync(FaultEventKind.StallHeld, timeout.Token);

        // A broken stall would have forwarded by now; the settle time only gives it the chance to.
        await Task.Delay(100, timeout.Token);
        Assert.Equal(0, server.BytesReceived);
        Assert.Equal(0, client.Available);
        Assert.Equal(1, proxy.ActiveConnections);
        Assert.Equal(Direction.ClientToServer, held.Direction);

        proxy.Resume();
        var echoed = await Wire.ReadExactlyAsync(stream, sent.Length, timeout.Token);
        await writing;

        Assert.True(sent.AsSpan().SequenceEqual(echoed), "bytes were lost or reordered across the stall");
        Assert.Equal(sent.Length, server.BytesReceived);
    }

    [Fact]
    public async Task Stall_ServerToClientOnly_ServerStillReceivesButClientGetsNothing()
    {
        using var timeout = new CancellationTokenSource(Wire.Patience);
        await using var server = LoopbackServer.Echo();
        await using var proxy = new FaultProxy(server.Port);
        using var client = await Wire.ConnectAsync(proxy.Port, timeout.Token);
        var stream = client.GetStream();

        proxy.Stall(Direction.ServerToClient);
        await stream.WriteAsync(Wire.Ascii("A1 NOOP\r\n"), timeout.Token);
        var held = await proxy.WaitForEventAsync(FaultEventKind.StallHeld, timeout.Token);

        Assert.Equal(Direction.ServerToClient, held.Direction);
        Assert.Equal(9, server.BytesReceived);
        Assert.Equal(0, client.Available);

        proxy.Resume(Direction.ServerToClient);
        Assert.Equal("A1 NOOP\r\n", await Wire.ReadTextAsync(stream, 9, timeout.Token));
    }

    [Fact]
    public async Task Stall_ClientClosesWhileStalled_ServerSeesTheCloseOnlyAfterResume()
    {
        using var timeout = new CancellationTokenSource(Wire.Patience);
        var serverSawClose = new TaskCompletionSource<int>();
        await using var server = LoopbackServer.Scripted(async (stream, ct) =>
            serverSawClose.SetResult((await Wire.ReadUntilClosedAsync(stream, ct)).Bytes.Length));
        await using var proxy = new FaultProxy(server.Port);
        using var client = await Wire.ConnectAsync(proxy.Port, timeout.Token);
        await proxy.WaitForEventAsync(FaultEventKind.ConnectionOpened, timeout.Token);

        proxy.Stall(Direction.ClientToServer);
        client.Client.Shutdown(SocketShutdown.Send);
        var held = await proxy.WaitForEventAsync(FaultEventKind.StallHeld, timeout.Token);

        // A stall that let the close through would have told the server by now.
        await Task.Delay(100, timeout.Token);
        Assert.Contains("end of the stream", held.Detail);
        Assert.False(serverSawClose.Task.IsCompleted);

        proxy.Resume();

        Assert.Equal(0, await serverSawClose.Task.WaitAsync(timeout.Token));
    }

    [Fact]
    public async Task Delay_PerChunk_RoundTripTakesAtLeastTheDelay()
    {
        using var timeout = new CancellationTokenSource(Wire.Patience);
        await using var server = LoopbackServer.Echo();
        await using var proxy = new FaultProxy(server.Port);
        using var client = await Wire.ConnectAsync(proxy.Port, timeout.Token);
        var stream = client.GetStream();
        var delay = TimeSpan.FromMilliseconds(150);

        proxy.Delay(delay, Direction.ServerToClient);
        var watch = Stopwatch.StartNew();
        await stream.WriteAsync(Wire.Ascii("ping"), timeout.Token);
        var echoed = await Wire.ReadTextAsync(stream, 4, timeout.Token);
        watch.Stop();

        Assert.Equal("ping", echoed);
        Assert.True(watch.Elapsed >= delay, $"round trip took {watch.Elapsed.TotalMilliseconds} ms, less than the delay");
        var delayed = await proxy.WaitForEventAsync(FaultEventKind.Delayed, timeout.Token);
        Assert.Equal(Direction.ServerToClient, delayed.Direction);
        Assert.Equal(1, proxy.CountEvents(FaultEventKind.Delayed));
    }

    [Fact]
    public async Task Delay_Zero_TurnsTheDelayOff()
    {
        using var timeout = new CancellationTokenSource(Wire.Patience);
        await using var server = LoopbackServer.Echo();
        await using var proxy = new FaultProxy(server.Port);
        using var client = await Wire.ConnectAsync(proxy.Port, timeout.Token);

        proxy.Delay(TimeSpan.FromMilliseconds(50));
        proxy.Delay(TimeSpan.Zero);
        await client.GetStream().WriteAsync(Wire.Ascii("ping"), timeout.Token);
        await Wire.ReadExactlyAsync(client.GetStream(), 4, timeout.Token);

        Assert.Equal(0, proxy.CountEvents(FaultEventKind.Delayed));
    }

    [Fact]
    public async Task InjectGarbageAsync_BetweenServerWrites_ClientSeesItAtThatPoint()
    {
        using var timeout = new CancellationTokenSource(Wire.Patience);
        var injected = new TaskCompletionSource();
        await using var server = LoopbackServer.Scripted(async (stream, ct) =>
        {
            await stream.WriteAsync(Wire.Ascii("* OK ready\r\n"), ct);
            await injected.Task.WaitAsync(ct);
            await stream.WriteAsync(Wire.Ascii("A1 OK done\r\n"), ct);
        });
        await using var proxy = new FaultProxy(server.Port);
        using var client = await Wire.ConnectAsync(proxy.Port, timeout.Token);
        var stream = client.GetStream();
        Assert.Equal("* OK ready\r\n", await Wire.ReadTextAsync(stream, 12, timeout.Token));

        var count = await proxy.InjectGarbageAsync(Direction.ServerToClient, "\x01GARBAGE\xFF\r\n", timeout.Token);
        injected.SetResult();
        var (rest, _) = await Wire.ReadUntilClosedAsync(stream, timeout.Token);

        Assert.Equal(1, count);
        Assert.Equal("\x01GARBAGE\xFF\r\nA1 OK done\r\n", Encoding.UTF8.GetString(rest));
        var garbage = await proxy.WaitForEventAsync(FaultEventKind.GarbageInjected, timeout.Token);
        Assert.Equal(12, garbage.ByteOffset);
    }

    [Fact]
    public async Task InjectGarbageAsync_ClientToServer_ServerReceivesIt()
    {
        using var timeout = new CancellationTokenSource(Wire.Patience);
        await using var server = LoopbackServer.Echo();
        await using var proxy = new FaultProxy(server.Port);
        using var client = await Wire.ConnectAsync(proxy.Port, timeout.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Wire.Ascii("one "), timeout.Token);
        Assert.Equal("one ", await Wire.ReadTextAsync(stream, 4, timeout.Token));

        await proxy.InjectGarbageAsync(Direction.ClientToServer, Wire.Ascii("JUNK "), timeout.Token);
        await stream.WriteAsync(Wire.Ascii("two"), timeout.Token);

        Assert.Equal("JUNK two", await Wire.ReadTextAsync(stream, 8, timeout.Token));
        Assert.Equal(7, proxy.BytesFromClient);
    }

    [Fact]
    public async Task InjectGarbageAsync_NoConnection_ReachesNobody()
    {
        await using var proxy = new FaultProxy(143);

        Assert.Equal(0, await proxy.InjectGarbageAsync(Direction.ServerToClient, "x"));
        Assert.Equal("direction", (await Assert.ThrowsAsync<ArgumentException>(() => proxy.InjectGarbageAsync(Direction.Both, "x"))).ParamName);
        Assert.Equal("bytes", (await Assert.ThrowsAsync<ArgumentException>(() => proxy.InjectGarbageAsync(Direction.ServerToClient, ReadOnlyMemory<byte>.Empty))).ParamName);
    }

    [Fact]
    public async Task DisposeAsync_WhileStalled_EndsHeldConnections()
    {
        using var timeout = new CancellationTokenSource(Wire.Patience);
        await using var server = LoopbackServer.Echo();
        var proxy = new FaultProxy(server.Port);
        using var client = await Wire.ConnectAsync(proxy.Port, timeout.Token);
        proxy.Stall();
        await client.GetStream().WriteAsync(Wire.Ascii("held"), timeout.Token);
        await proxy.WaitForEventAsync(FaultEventKind.StallHeld, timeout.Token);

        await proxy.DisposeAsync().AsTask().WaitAsync(timeout.Token);

        Assert.Equal(0, proxy.ActiveConnections);
        var (rest, _) = await Wire.ReadUntilClosedAsync(client.GetStream(), timeout.Token);
        Assert.Empty(rest);
        Assert.Equal(0, server.BytesReceived);
    }
}
