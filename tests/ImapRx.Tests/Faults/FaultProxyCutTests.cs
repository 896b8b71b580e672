using System.Net.Sockets;
using System.Text;
using ImapRx.Sandbox.Faults;

namespace ImapRx.Tests.Faults;

public sealed class FaultProxyCutTests
{
    [Fact]
    public async Task CutAll_LiveConnection_ClientReadEndsAndCutIsRecorded()
    {
        using var timeout = new CancellationTokenSource(Wire.Patience);
        await using var server = LoopbackServer.Echo();
        await using var proxy = new FaultProxy(server.Port);
        using var client = await Wire.ConnectAsync(proxy.Port, timeout.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Wire.Ascii("ping"), timeout.Token);
        await Wire.ReadExactlyAsync(stream, 4, timeout.Token);

        var cut = proxy.CutAll();
        var (rest, _) = await Wire.ReadUntilClosedAsync(stream, timeout.Token);

        Assert.Equal(1, cut);
        Assert.Empty(rest);
        var closed = await proxy.WaitForEventAsync(FaultEventKind.ConnectionClosed, timeout.Token);
        Assert.StartsWith("aborted", closed.Detail);
        Assert.Equal(1, proxy.CountEvents(FaultEventKind.Cut));
        Assert.Equal(0, proxy.ActiveConnections);
    }

    [Fact]
    public async Task CutAll_LiveConnection_ClientWriteFailsWithReset()
    {
        using var timeout = new CancellationTokenSource(Wire.Patience);
        await using var server = LoopbackServer.Echo();
        await using var proxy = new FaultProxy(server.Port);
        using var client = await Wire.ConnectAsync(proxy.Port, timeout.Token);
        await proxy.WaitForEventAsync(FaultEventKind.ConnectionOpened, timeout.Token);

        proxy.CutAll();
        await proxy.WaitForEventAsync(FaultEventKind.ConnectionClosed, timeout.Token);

        // An abortive close answers the next segment with RST: the second write at the latest sees it.
        var ex = await Assert.ThrowsAsync<IOException>(async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                await client.GetStream().WriteAsync(Wire.Ascii("x"), timeout.Token);
                await Task.Delay(5, timeout.Token);
            }
        });
        Assert.IsType<SocketException>(ex.InnerException);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(12_345)]
    [InlineData(65_536)]
    public async Task CutAfterBytes_ServerToClient_ClientReceivesExactlyThatCount(int count)
    {
        using var timeout = new CancellationTokenSource(Wire.Patience);
        var payload = Wire.RandomBytes(200_000, seed: count);
        await using var server = LoopbackServer.Scripted(async (stream, ct) =>
        {
            await Wire.ReadExactlyAsync(stream, 1, ct);
            await stream.WriteAsync(payload, ct);
        });
        await using var proxy = new FaultProxy(server.Port);
        var rule = proxy.CutAfterBytes(Direction.ServerToClient, count);
        using var client = await Wire.ConnectAsync(proxy.Port, timeout.Token);
        await SayHelloAsync(client, timeout.Token);

        var (received, _) = await Wire.ReadUntilClosedAsync(client.GetStream(), timeout.Token);

        Assert.Equal(count, received.Length);
        Assert.True(payload.AsSpan(0, count).SequenceEqual(received), "the bytes before the cut differ");
        Assert.Equal(1, await rule.WhenFired.WaitAsync(timeout.Token));
        Assert.Equal(1, rule.FiredCount);
        Assert.False(rule.IsArmed);
        var cut = await proxy.WaitForEventAsync(FaultEventKind.Cut, timeout.Token);
        Assert.Equal(count, cut.ByteOffset);
        Assert.Equal(Direction.ServerToClient, cut.Direction);
    }

    [Fact]
    public async Task CutAfterBytes_ClientToServer_ServerReceivesExactlyThatCount()
    {
        using var timeout = new CancellationTokenSource(Wire.Patience);
        var serverGot = new TaskCompletionSource<byte[]>();
        await using var server = LoopbackServer.Scripted(async (stream, ct) =>
            serverGot.SetResult((await Wire.ReadUntilClosedAsync(stream, ct)).Bytes));
        await using var proxy = new FaultProxy(server.Port);
        var rule = proxy.CutAfterBytes(Direction.ClientToServer, 1000);
        using var client = await Wire.ConnectAsync(proxy.Port, timeout.Token);
        var sent = Wire.RandomBytes(5000, seed: 3);

        // The write itself may or may not see the reset, depending on when it lands.
        try
        {
            await client.GetStream().WriteAsync(sent, timeout.Token);
        }
        catch (IOException)
        {
        }

        var received = await serverGot.Task.WaitAsync(timeout.Token);
        Assert.Equal(1000, received.Length);
        Assert.True(sent.AsSpan(0, 1000).SequenceEqual(received));
        Assert.Equal(1, rule.FiredCount);
    }

    [Fact]
    public async Task CutAfterBytes_ArmedOnLiveConnection_CountsFromArming()
    {
        using var timeout = new CancellationTokenSource(Wire.Patience);
        await using var server = LoopbackServer.Echo();
        await using var proxy = new FaultProxy(server.Port);
        using var client = await Wire.ConnectAsync(proxy.Port, timeout.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Wire.Ascii("before"), timeout.Token);
        Assert.Equal("before", await Wire.ReadTextAsync(stream, 6, timeout.Token));

        var rule = proxy.CutAfterBytes(Direction.ServerToClient, 3);
        await stream.WriteAsync(Wire.Ascii("after"), timeout.Token);
        var (received, _) = await Wire.ReadUntilClosedAsync(stream, timeout.Token);

        Assert.Equal("aft", Encoding.ASCII.GetString(received));
        Assert.Equal(1, rule.FiredCount);
        var cut = await proxy.WaitForEventAsync(FaultEventKind.Cut, timeout.Token);
        Assert.Equal(6 + 3, cut.ByteOffset);
    }

    [Theory]
    [InlineData(FaultScope.Once, 1)]
    [InlineData(FaultScope.EveryConnection, 3)]
    public async Task CutAfterBytes_ThreeConnectionsInTurn_FiresOncePerScope(FaultScope scope, int expectedCuts)
    {
        using var timeout = new CancellationTokenSource(Wire.Patience);
        await using var server = LoopbackServer.Scripted(async (stream, ct) =>
        {
            await Wire.ReadExactlyAsync(stream, 1, ct);
            await stream.WriteAsync(Wire.Ascii("0123456789"), ct);
        });
        await using var proxy = new FaultProxy(server.Port);
        var rule = proxy.CutAfterBytes(Direction.ServerToClient, 4, scope);

        var lengths = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            using var client = await Wire.ConnectAsync(proxy.Port, timeout.Token);
            await SayHelloAsync(client, timeout.Token);
            lengths.Add((await Wire.ReadUntilClosedAsync(client.GetStream(), timeout.Token)).Bytes.Length);
        }

        Assert.Equal(expectedCuts, rule.FiredCount);
        Assert.Equal(expectedCuts, proxy.CountEvents(FaultEventKind.Cut));
        Assert.Equal(expectedCuts, lengths.Count(length => length == 4));
        Assert.Equal(3 - expectedCuts, lengths.Count(length => length == 10));
    }

    [Fact]
    public async Task CutOnPattern_PatternSplitAcrossTwoWrites_FiresOnceRightAfterIt()
    {
        using var timeout = new CancellationTokenSource(Wire.Patience);
        var firstPartSeen = new TaskCompletionSource();
        await using var server = LoopbackServer.Scripted(async (stream, ct) =>
        {
            await stream.WriteAsync(Wire.Ascii("* 4 FETCH (UID 4)\r\n* 5 FE"), ct);
            await firstPartSeen.Task.WaitAsync(ct);
            await stream.WriteAsync(Wire.Ascii("TCH (UID 5)\r\n* 6 FETCH (UID 6)\r\n* 5 FETCH again\r\n"), ct);
        });
        await using var proxy = new FaultProxy(server.Port);
        var rule = proxy.CutOnPattern(Direction.ServerToClient, "* 5 FETCH");
        using var client = await Wire.ConnectAsync(proxy.Port, timeout.Token);
        var stream = client.GetStream();

        // The client has the first part, so the proxy forwarded it as a chunk of its own before the rest came.
        Assert.Equal("* 4 FETCH (UID 4)\r\n* 5 FE", await Wire.ReadTextAsync(stream, 25, timeout.Token));
        Assert.Equal(0, rule.FiredCount);
        firstPartSeen.SetResult();
        var (rest, _) = await Wire.ReadUntilClosedAsync(stream, timeout.Token);

        Assert.Equal("TCH", Encoding.ASCII.GetString(rest));
        Assert.Equal(1, rule.FiredCount);
        Assert.Equal(1, proxy.CountEvents(FaultEventKind.Cut));
        Assert.Equal(28, (await proxy.WaitForEventAsync(FaultEventKind.Cut, timeout.Token)).ByteOffset);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(8)]
    public async Task CutOnPattern_MatchStartsInsideFailedPartialMatch_CutsRightAfterIt(int split)
    {
        using var timeout = new CancellationTokenSource(Wire.Patience);

        // A match that starts inside a failed partial match: found only by falling back, not by starting over.
        const string Text = "xabcabcabdz-abcabd";
        var firstPartSeen = new TaskCompletionSource();
        await using var server = LoopbackServer.Scripted(async (stream, ct) =>
        {
            await stream.WriteAsync(Wire.Ascii(Text[..split]), ct);
            await firstPartSeen.Task.WaitAsync(ct);
            await stream.WriteAsync(Wire.Ascii(Text[split..]), ct);
        });
        await using var proxy = new FaultProxy(server.Port);
        var rule = proxy.CutOnPattern(Direction.ServerToClient, "abcabd"u8);
        using var client = await Wire.ConnectAsync(proxy.Port, timeout.Token);
        var stream = client.GetStream();

        await Wire.ReadExactlyAsync(stream, split, timeout.Token);
        firstPartSeen.SetResult();
        var (rest, _) = await Wire.ReadUntilClosedAsync(stream, timeout.Token);

        Assert.Equal("xabcabcabd"[split..], Encoding.ASCII.GetString(rest));
        Assert.Equal(1, rule.FiredCount);
    }

    [Fact]
    public async Task CutOnPattern_ClientSendsIdle_ServerGetsNothingAfterIt()
    {
        using var timeout = new CancellationTokenSource(Wire.Patience);
        var serverGot = new TaskCompletionSource<string>();
        await using var server = LoopbackServer.Scripted(async (stream, ct) =>
            serverGot.SetResult(Encoding.ASCII.GetString((await Wire.ReadUntilClosedAsync(stream, ct)).Bytes)));
        await using var proxy = new FaultProxy(server.Port);
        var rule = proxy.CutOnPattern(Direction.ClientToServer, "IDLE");
        using var client = await Wire.ConnectAsync(proxy.Port, timeout.Token);

        try
        {
            await client.GetStream().WriteAsync(Wire.Ascii("A1 NOOP\r\nA2 IDLE\r\nDONE\r\n"), timeout.Token);
        }
        catch (IOException)
        {
        }

        Assert.Equal("A1 NOOP\r\nA2 IDLE", await serverGot.Task.WaitAsync(timeout.Token));
        Assert.Equal(1, await rule.WhenFired.WaitAsync(timeout.Token));
    }

    [Fact]
    public async Task CutOnPattern_Disarmed_NeverFires()
    {
        using var timeout = new CancellationTokenSource(Wire.Patience);
        await using var server = LoopbackServer.Scripted((stream, ct) => stream.WriteAsync(Wire.Ascii("* 5 FETCH\r\n"), ct).AsTask());
        await using var proxy = new FaultProxy(server.Port);
        var rule = proxy.CutOnPattern(Direction.ServerToClient, "FETCH");

        rule.Disarm();
        using var client = await Wire.ConnectAsync(proxy.Port, timeout.Token);
        var (received, reset) = await Wire.ReadUntilClosedAsync(client.GetStream(), timeout.Token);

        Assert.Equal("* 5 FETCH\r\n", Encoding.ASCII.GetString(received));
        Assert.False(reset);
        Assert.Equal(0, rule.FiredCount);
        Assert.Equal(0, proxy.CountEvents(FaultEventKind.Cut));
    }

    [Fact]
    public async Task CutRules_InvalidArguments_ThrowArgumentExceptionNamingParameter()
    {
        await using var proxy = new FaultProxy(143);

        Assert.Equal("direction", Assert.Throws<ArgumentException>(() => proxy.CutAfterBytes(Direction.Both, 1)).ParamName);
        Assert.Equal("byteCount", Assert.ThrowsAny<ArgumentException>(() => proxy.CutAfterBytes(Direction.ServerToClient, -1)).ParamName);
        Assert.Equal("pattern", Assert.Throws<ArgumentException>(() => proxy.CutOnPattern(Direction.ServerToClient, "")).ParamName);
        Assert.Equal("scope", Assert.Throws<ArgumentException>(() => proxy.CutOnPattern(Direction.ServerToClient, "x", (FaultScope)9)).ParamName);
    }

    // Servers that are cut while speaking first wait for this, so the cut cannot beat the end of the client's
    // connect (which would then fail with ConnectionReset before the client could read anything).
    private static async Task SayHelloAsync(TcpClient client, CancellationToken cancellationToken) =>
        await client.GetStream().WriteAsync(new byte[] { (byte)'.' }, cancellationToken);
}
