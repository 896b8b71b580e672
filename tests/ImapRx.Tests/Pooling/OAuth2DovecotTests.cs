using ImapRx.Configuration;
using ImapRx.Pooling;
using ImapRx.Sandbox.Faults;
using ImapRx.Sandbox.Server;
using ImapRx.Tests.Server;

namespace ImapRx.Tests.Pooling;

/// <summary>
/// OAuth2 against a real Dovecot whose oauth2 passdb checks every bearer token with an introspection endpoint on
/// 127.0.0.1: the documented single refresh, counted where the server checks tokens, through the fault proxy.
/// </summary>
public sealed class OAuth2DovecotTests : IAsyncLifetime
{
    private readonly string _configDirectory = Directory.CreateTempSubdirectory("imaprx-oauth2-").FullName;
    private OAuth2IntrospectionEndpoint? _endpoint;
    private DovecotServer? _server;
    private SandboxUser? _user;

    private OAuth2IntrospectionEndpoint Endpoint => _endpoint!;

    private DovecotServer Server => _server!;

    private SandboxUser User => _user!;

    public async Task InitializeAsync()
    {
        if (DovecotRequirement.SkipReason is not null)
        {
            return;
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_configDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        // The user name is known only once the server made it: the first user of a fresh server is user0001.
        _endpoint = new OAuth2IntrospectionEndpoint("user0001", "fresh-token-5d1e");
        _server = await DovecotServer.StartAsync(new DovecotServerOptions { ExtraConfiguration = _endpoint.DovecotConfiguration(_configDirectory) });
        _user = await _server.CreateUserAsync();
        Assert.Equal(_endpoint.User, _user.Name);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_endpoint is not null)
        {
            await _endpoint.DisposeAsync();
        }

        Directory.Delete(_configDirectory, recursive: true);
    }

    [DovecotTheory]
    [InlineData(OAuth2Mechanism.XOAuth2)]
    [InlineData(OAuth2Mechanism.OAuthBearer)]
    public async Task LeaseAsync_DovecotRejectsTheCachedToken_RefreshesOnceOnTheSameConnection(OAuth2Mechanism mechanism)
    {
        await using var proxy = new FaultProxy(Server.PlainPort);
        var calls = new List<bool>();
        await using var pool = new ImapConnectionPool();

        await using (var lease = await pool.LeaseAsync(Account(proxy, Provider(calls, "expired-token-33b0", Endpoint.AcceptedToken, mechanism))))
        {
            Assert.True(lease.Client.IsAuthenticated);
        }

        Assert.Equal(new[] { false, true }, calls);
        Assert.Equal(new[] { "expired-token-33b0", Endpoint.AcceptedToken }, Endpoint.TokensChecked);
        Assert.Equal(2, await WaitForOAuth2LookupsAsync(2));
        Assert.Equal(1, proxy.TotalConnections);
    }

    [DovecotFact]
    public async Task LeaseAsync_RefreshedTokenAlsoRejected_TwoChecksThenAuthenticationErrorNeverAThird()
    {
        await using var proxy = new FaultProxy(Server.PlainPort);
        var calls = new List<bool>();
        await using var pool = new ImapConnectionPool();
        var account = Account(proxy, Provider(calls, "revoked-1", "revoked-2"));
        account.MaxRetries = 3;

        var error = await Assert.ThrowsAsync<ImapAuthenticationException>(async () => await pool.LeaseAsync(account));
        await Task.Delay(500); // a retry would have reached the endpoint by now

        Assert.True(error.ServerAnswered);
        Assert.Equal(new[] { false, true }, calls);
        Assert.Equal(new[] { "revoked-1", "revoked-2" }, Endpoint.TokensChecked);
        Assert.Equal(1, proxy.TotalConnections);
        Assert.DoesNotContain("revoked", error.ToString(), StringComparison.Ordinal);
    }

    [DovecotFact]
    public async Task LeaseAsync_RefusalHeldPastTheTimeout_OneTokenCheckNoRefreshNotRetried()
    {
        await using var proxy = new FaultProxy(Server.PlainPort);
        var hold = proxy.HoldOnPattern(Direction.ServerToClient, "[AUTHENTICATIONFAILED]", TimeSpan.FromSeconds(4));
        var calls = new List<bool>();
        await using var pool = new ImapConnectionPool();
        var account = Account(proxy, Provider(calls, "expired-token-33b0", Endpoint.AcceptedToken));
        account.Timeout = TimeSpan.FromSeconds(3);
        account.MaxRetries = 6;

        var error = await Assert.ThrowsAsync<ImapAuthenticationException>(async () => await pool.LeaseAsync(account));
        await hold.WhenFired.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.False(error.ServerAnswered);
        Assert.Contains("not tried again", error.Message, StringComparison.Ordinal);
        Assert.Equal(new[] { false }, calls);
        Assert.Equal(new[] { "expired-token-33b0" }, Endpoint.TokensChecked);
        Assert.Equal(1, proxy.TotalConnections);
    }

    private static ImapCredential Provider(List<bool> calls, string cached, string refreshed, OAuth2Mechanism mechanism = OAuth2Mechanism.XOAuth2)
        => ImapCredential.FromAccessTokenProvider(
            (forceRefresh, _) =>
            {
                lock (calls)
                {
                    calls.Add(forceRefresh);
                }

                return new ValueTask<string>(forceRefresh ? refreshed : cached);
            },
            mechanism);

    private ImapAccountOptions Account(FaultProxy proxy, ImapCredential credential)
        => new(proxy.Host, User.Name, credential)
        {
            Encryption = ImapEncryption.None,
            Port = proxy.Port,
            MaxRetries = 0,
            RetryDelay = TimeSpan.FromMilliseconds(10),
            Timeout = TimeSpan.FromSeconds(10),
        };

    // Dovecot logs "oauth2(USER,IP,...): Performing passdb lookup" once per token it checks.
    private async Task<int> WaitForOAuth2LookupsAsync(int expected)
    {
        int Count() => Server.ReadLog().Split('\n').Count(l => l.Contains($"oauth2({User.Name},", StringComparison.Ordinal) && l.Contains("Performing passdb lookup", StringComparison.Ordinal));
        for (var poll = 0; poll < 100 && Count() < expected; poll++)
        {
            await Task.Delay(100);
        }

        await Task.Delay(300); // one more would show up by now
        return Count();
    }
}
