using System.Net.Sockets;
using ImapRx.Sandbox.Faults;

namespace ImapRx.Tests.Faults;

public sealed class FaultProxyForwardingTests
{
    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("192.168.1.10")]
    [InlineData("localhost")]
    [InlineData("::1")]
    [InlineData("127.0.0.2")]
    [InlineData("")]
    public void Constructor_TargetNotLoopback_ThrowsArgumentExceptionNamingHost(string host)
    {
        var ex = Assert.Throws<ArgumentException>(() => new FaultProxy(host, 143));

        Assert.Equal("targetHost", ex.ParamName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(65536)]
    public void Constructor_PortOutOfRange_ThrowsArgumentExceptionNamingPort(int port)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => new FaultProxy("127.0.0.1", port));

        Assert.Equal("targetPort", ex.ParamName);
    }

    [Fact]
    public async Task Forward_SeveralMegabytesBothWays_PassThroughUnchanged()
    {
        using var timeout = new CancellationTokenSource(Wire.Patience);
        await using var server = LoopbackServer.Echo();
        await using var proxy = new FaultProxy(server.Port);
        using var client = await Wire.ConnectAsync(proxy.Port, timeout.Token);
        var stream = client.GetStream();
        var sent = Wire.RandomBytes(4 * 1024 * 1024, seed: 7);

        // Written and read at once: an echo of 4 MB cannot sit in socket buffers while nobody reads.
        var writing = Task.Run(async () =>
        {
            await stream.WriteAsync(sent, timeout.Token);
            client.Client.Shutdown(SocketShutdown.Send);
        });
        var (echoed, reset) = await Wire.ReadUntilClosedAsync(stream, timeout.Token);
        await writing;

        Assert.False(reset);
        Assert.Equal(sent.Length, echoed.Length);
        Assert.True(sent.AsSpan().SequenceEqual(echoed), "echoed bytes differ from the bytes sent");
        Assert.Equal(sent.Length, proxy.BytesFromClient);
        Assert.Equal(sent.Length, proxy.BytesFromServer);
        Assert.Equal(sent.Length, server.BytesReceived);
    }

    [Fact]
    public async Task Forward_ServerSpeaksFirstAndClosesFirst_ClientGetsGreetingThenEof()
    {
        using var timeout = new CancellationTokenSource(Wire.Patience);
        await using var server = LoopbackServer.Scripted(async (stream, ct) =>
            await stream.WriteAsync(Wire.Ascii("* OK greeting\r\n"), ct));
        await using var proxy = new FaultProxy(server.Port);
        using var client = await Wire.ConnectAsync(proxy.Port, timeout.Token);

        var (received, reset) = await Wire.ReadUntilClosedAsync(client.GetStream(), timeout.Token);

        Assert.Equal("* OK greeting\r\n", System.Text.Encoding.ASCII.GetString(received));
        Assert.False(reset);
    }

    [Fact]
    public async Task Forward_ClientHalfClosesFirst_ServerStillDeliversItsReply()
    {
        using var timeout = new CancellationTokenSource(Wire.Patience);
        await using var server = LoopbackServer.Scripted(async (stream, ct) =>
        {
            var request = await Wire.ReadUntilClosedAsync(stream, ct);
            await stream.WriteAsync(Wire.Ascii($"got {request.Bytes.Length} bytes"), ct);
        });
        await using var proxy = new FaultProxy(server.Port);
        using var client = await Wire.ConnectAsync(proxy.Port, timeout.Token);
        var stream = client.GetStream();

        await stream.WriteAsync(Wire.Ascii("a LOGOUT\r\n"), timeout.Token);
        client.Client.Shutdown(SocketShutdown.Send);
        var (reply, reset) = await Wire.ReadUntilClosedAsync(stream, timeout.Token);

        Assert.Equal("got 10 bytes", System.Text.Encoding.ASCII.GetString(reply));
        Assert.False(reset);
        var closed = await proxy.WaitForEventAsync(FaultEventKind.ConnectionClosed, timeout.Token);
        Assert.Equal("closed", closed.Detail);
    }

    [Fact]
    public async Task Forward_HundredConcurrentConnections_AllEchoCorrectly()
    {
        using var timeout = new CancellationTokenSource(Wire.Patience);
        await using var server = LoopbackServer.Echo();
        await using var proxy = new FaultProxy(server.Port);

        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(async n =>
        {
            using var client = await Wire.ConnectAsync(proxy.Port, timeout.Token);
            var stream = client.GetStream();
            var sent = Wire.RandomBytes(8192, seed: n);
            await stream.WriteAsync(sent, timeout.Token);
            var echoed = await Wire.ReadExactlyAsync(stream, sent.Length, timeout.Token);
            return sent.AsSpan().SequenceEqual(echoed);
        }));

        Assert.All(results, Assert.True);
        Assert.Equal(100, proxy.TotalConnections);
        Assert.Equal(100 * 8192, proxy.BytesFromServer);
        await proxy.WaitForEventAsync(e => e.Kind == FaultEventKind.ConnectionClosed && proxy.ActiveConnections == 0, timeout.Token);

        // A connection counts itself out before it records its close, so another's close can see none active while
        // the last record is still on its way: wait for the records themselves (until the test's patience runs out).
        while (proxy.CountEvents(FaultEventKind.ConnectionClosed) < 100 && !timeout.IsCancellationRequested)
        {
            await Task.Delay(10);
        }

        Assert.Equal(100, proxy.CountEvents(FaultEventKind.ConnectionOpened));
        Assert.Equal(100, proxy.CountEvents(FaultEventKind.ConnectionClosed));
    }

    [Fact]
    public async Task Events_OneConnection_OpenedThenClosedWithItsId()
    {
        using var timeout = new CancellationTokenSource(Wire.Patience);
        await using var server = LoopbackServer.Echo();
        await using var proxy = new FaultProxy(server.Port);
        var seen = new List<FaultEvent>();
        using var subscription = proxy.Events.Subscribe(new Collector(seen));

        using (var client = await Wire.ConnectAsync(proxy.Port, timeout.Token))
        {
            await client.GetStream().WriteAsync(Wire.Ascii("ping"), timeout.Token);
            await Wire.ReadExactlyAsync(client.GetStream(), 4, timeout.Token);
            Assert.Equal(1, proxy.ActiveConnections);
        }

        await proxy.WaitForEventAsync(FaultEventKind.ConnectionClosed, timeout.Token);

        lock (seen)
        {
            Assert.Equal([FaultEventKind.ConnectionOpened, FaultEventKind.ConnectionClosed], seen.Select(e => e.Kind));
            Assert.All(seen, e => Assert.Equal(1, e.ConnectionId));
        }

        Assert.Equal(0, proxy.ActiveConnections);
    }

    [Fact]
    public async Task DisposeAsync_LiveConnections_ClosesThemAndStopsListening()
    {
        using var timeout = new CancellationTokenSource(Wire.Patience);
        await using var server = LoopbackServer.Echo();
        var proxy = new FaultProxy(server.Port);
        var clients = new List<TcpClient>();
        for (var i = 0; i < 3; i++)
        {
            var client = await Wire.ConnectAsync(proxy.Port, timeout.Token);
            await client.GetStream().WriteAsync(Wire.Ascii("hi"), timeout.Token);
            await Wire.ReadExactlyAsync(client.GetStream(), 2, timeout.Token);
            clients.Add(client);
        }

        await proxy.DisposeAsync();

        Assert.Equal(0, proxy.ActiveConnections);
        Assert.Equal(3, proxy.CountEvents(FaultEventKind.ConnectionClosed));
        foreach (var client in clients)
        {
            var (rest, _) = await Wire.ReadUntilClosedAsync(client.GetStream(), timeout.Token);
            Assert.Empty(rest);
            client.Dispose();
        }

        var refused = await Assert.ThrowsAsync<SocketException>(() => Wire.ConnectAsync(proxy.Port, timeout.Token));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        Assert.Throws<ObjectDisposedException>(() => proxy.CutAll());
    }

    [Fact]
    public async Task Constructor_TargetDown_ClientIsResetAndFailureRecorded()
    {
        using var timeout = new CancellationTokenSource(Wire.Patience);
        int deadPort;
        await using (var gone = LoopbackServer.Echo())
        {
            deadPort = gone.Port;
        }

        await using var proxy = new FaultProxy(deadPort);

        var received = await Wire.ConnectAndReadUntilClosedAsync(proxy.Port, timeout.Token);

        Assert.Empty(received);
        var failed = await proxy.WaitForEventAsync(FaultEventKind.UpstreamConnectFailed, timeout.Token);
        Assert.Equal(1, failed.ConnectionId);
        Assert.Equal(0, proxy.CountEvents(FaultEventKind.ConnectionOpened));
    }

    private sealed class Collector(List<FaultEvent> seen) : IObserver<FaultEvent>
    {
        public void OnNext(FaultEvent value)
        {
            lock (seen)
            {
                seen.Add(value);
            }
        }

        public void OnError(Exception error) => throw error;

        public void OnCompleted()
        {
        }
    }
}
