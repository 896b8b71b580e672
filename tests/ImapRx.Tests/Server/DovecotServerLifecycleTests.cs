using ImapRx.Sandbox.Server;

namespace ImapRx.Tests.Server;

public sealed class DovecotServerLifecycleTests
{
    [DovecotFact]
    public async Task DisposeAsync_RunningServer_StopsItsMasterAndDeletesItsDirectory()
    {
        var server = await DovecotServer.StartAsync(new DovecotServerOptions { EnableSsl = false });
        var pid = server.MasterPid;
        var root = server.RootDirectory;
        Assert.True(Directory.Exists($"/proc/{pid}"));

        await server.DisposeAsync();

        Assert.False(Directory.Exists($"/proc/{pid}"));
        Assert.False(Directory.Exists(root));
        Assert.False(TcpListening(server.PlainPort));
    }

    [DovecotFact]
    public async Task StartAsync_TwoServers_RunSideBySideOnTheirOwnPorts()
    {
        await using var first = await DovecotServer.StartAsync();
        await using var second = await DovecotServer.StartAsync();

        Assert.Equal(4, new[] { first.PlainPort, first.TlsPort, second.PlainPort, second.TlsPort }.Distinct().Count());
        Assert.NotEqual(first.RootDirectory, second.RootDirectory);
        Assert.NotEqual(first.CaCertificate.Thumbprint, second.CaCertificate.Thumbprint);
        Assert.Equal("127.0.0.1", first.Host);
    }

    [DovecotFact]
    public async Task StartAsync_InvalidExtraConfiguration_FailsWithDovecotsMessage()
    {
        var options = new DovecotServerOptions { ExtraConfiguration = ["no_such_setting = 1"] };

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => DovecotServer.StartAsync(options));

        Assert.Contains("no_such_setting", ex.Message);
    }

    [DovecotFact]
    public async Task StartAsync_ExtraConfiguration_IsApplied()
    {
        var options = new DovecotServerOptions { EnableSsl = false, ExtraConfiguration = ["login_greeting = Sandbox greeting 42"] };
        await using var server = await DovecotServer.StartAsync(options);
        using var wire = new MemoryStream();
        using var client = new MailKit.Net.Imap.ImapClient(new MailKit.ProtocolLogger(wire, leaveOpen: true));

        await client.ConnectAsync(server.Host, server.PlainPort, MailKit.Security.SecureSocketOptions.None);

        Assert.Contains("Sandbox greeting 42", System.Text.Encoding.UTF8.GetString(wire.ToArray()));
    }

    [Fact]
    public void Options_Defaults_AreDocumentedValues()
    {
        var options = new DovecotServerOptions();

        Assert.True(options.EnableSsl);
        Assert.False(options.UntrustedCertificate);
        Assert.Equal(1000, options.MaxConnections);
        Assert.Equal(TimeSpan.Zero, options.AuthFailureDelay);
        Assert.Empty(options.ExtraConfiguration);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(100_001)]
    public void Options_MaxConnectionsOutOfRange_ThrowsNamingTheParameter(int value)
    {
        Assert.Throws<ArgumentOutOfRangeException>("MaxConnections", () => new DovecotServerOptions { MaxConnections = value });
    }

    [Fact]
    public void Options_NegativeAuthFailureDelay_ThrowsNamingTheParameter()
    {
        Assert.Throws<ArgumentOutOfRangeException>("AuthFailureDelay", () => new DovecotServerOptions { AuthFailureDelay = TimeSpan.FromSeconds(-1) });
    }

    [Fact]
    public void Options_NullExtraConfiguration_ThrowsNamingTheParameter()
    {
        Assert.Throws<ArgumentNullException>("ExtraConfiguration", () => new DovecotServerOptions { ExtraConfiguration = null! });
    }

    private static bool TcpListening(int port)
    {
        try
        {
            using var socket = new System.Net.Sockets.TcpClient();
            socket.Connect("127.0.0.1", port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}
