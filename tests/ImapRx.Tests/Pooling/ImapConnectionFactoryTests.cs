using ImapRx.Configuration;
using ImapRx.Pooling;
using ImapRx.Sandbox.Faults;
using ImapRx.Sandbox.Server;
using ImapRx.Tests.Server;
using ImapRx.Tests.Watching;

namespace ImapRx.Tests.Pooling;

/// <summary>
/// Connect, TLS and login against the real Dovecot through the fault proxy, counting login attempts on the
/// server's side (its auth log): one mechanism, one attempt, whatever the server's speed or capabilities, and
/// never a credential in plain text when encryption was asked for.
/// </summary>
[Collection(DovecotCollection.Name)]
public sealed class ImapConnectionFactoryTests(DovecotFixture fixture)
{
    private DovecotServer Server => fixture.Server;

    [DovecotFact]
    public async Task LeaseAsync_ServerHoldsTheRefusalLongerThanTheTimeout_OneLoginOneConnectionNotRetried()
    {
        var user = await fixture.CreateUserAsync();
        await using var proxy = new FaultProxy(Server.PlainPort);
        var hold = proxy.HoldOnPattern(Direction.ServerToClient, "[AUTHENTICATIONFAILED]", TimeSpan.FromSeconds(4));
        await using var pool = new ImapConnectionPool();
        var account = ThroughProxy(proxy, user.Name, "wrong-password", ImapEncryption.None);
        account.Timeout = TimeSpan.FromSeconds(3);
        account.MaxRetries = 6;

        var error = await Assert.ThrowsAsync<ImapAuthenticationException>(async () => await pool.LeaseAsync(account));
        await hold.WhenFired.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(TimeSpan.FromSeconds(1)); // a retry would have logged its attempt by now

        Assert.Equal(1, Server.CountLoginAttempts(user.Name));
        Assert.Equal(1, proxy.TotalConnections);
        Assert.Equal(1, hold.FiredCount);
        Assert.False(error.ServerAnswered);
        Assert.False(error.IsTransient);
        Assert.Contains("may be wrong", error.Message, StringComparison.Ordinal);
        Assert.Contains("not tried again", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, pool.GetStatistics(account).OpenConnections);
    }

    [DovecotFact]
    public async Task LeaseAsync_DovecotsOwnFailureDelayLongerThanTheTimeout_OneLoginOneConnectionNotRetried()
    {
        // The same slowness without the proxy's help: Dovecot waits auth_failure_delay before it says NO.
        await using var slow = await DovecotServer.StartAsync(new DovecotServerOptions { AuthFailureDelay = TimeSpan.FromSeconds(4) });
        var user = await slow.CreateUserAsync();
        await using var proxy = new FaultProxy(slow.PlainPort); // counts connections; injects nothing
        await using var pool = new ImapConnectionPool();
        var account = new ImapAccountOptions(proxy.Host, user.Name, ImapCredential.FromPassword("wrong-password"))
        {
            Encryption = ImapEncryption.None,
            Port = proxy.Port,
            Timeout = TimeSpan.FromSeconds(3),
            MaxRetries = 6,
            RetryDelay = TimeSpan.FromMilliseconds(10),
        };

        var error = await Assert.ThrowsAsync<ImapAuthenticationException>(async () => await pool.LeaseAsync(account));
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.False(error.ServerAnswered);
        Assert.Contains("may be wrong", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, slow.CountLoginAttempts(user.Name));
        Assert.Equal(1, proxy.TotalConnections);
    }

    [DovecotFact]
    public async Task LeaseAsync_ServerOffersOnlyTheLoginCommand_UsesItOnceAndNeverAuthenticate()
    {
        var user = await fixture.CreateUserAsync();
        var wrongUser = await fixture.CreateUserAsync();
        await using var proxy = new FaultProxy(Server.PlainPort);
        var strip = proxy.Rewrite(Direction.ServerToClient, " AUTH=PLAIN AUTH=LOGIN", string.Empty);
        var wire = new WireLog();
        await using var pool = new ImapConnectionPool(new ImapPoolOptions { ProtocolLog = wire.Open });

        await using (var lease = await pool.LeaseAsync(ThroughProxy(proxy, user.Name, user.Password, ImapEncryption.None)))
        {
            Assert.True(lease.Client.IsAuthenticated);
            Assert.Empty(lease.Client.AuthenticationMechanisms);
        }

        var wrong = ThroughProxy(proxy, wrongUser.Name, "wrong-password", ImapEncryption.None);
        var error = await Assert.ThrowsAsync<ImapAuthenticationException>(async () => await pool.LeaseAsync(wrong));
        await Task.Delay(500); // Dovecot logs a moment late; a second mechanism would show up here

        Assert.True(strip.RewrittenCount >= 2, "the capabilities were not rewritten");
        Assert.True(error.ServerAnswered);
        Assert.Equal(1, Server.CountLoginAttempts(wrongUser.Name));
        Assert.Equal(2, ClientCommands(wire, " LOGIN "));
        Assert.Equal(0, ClientCommands(wire, " AUTHENTICATE "));
    }

    [DovecotFact]
    public async Task LeaseAsync_LoginDisabledWithSaslLoginOnly_OneAuthenticateLogin()
    {
        var user = await fixture.CreateUserAsync();
        await using var proxy = new FaultProxy(Server.PlainPort);
        proxy.Rewrite(Direction.ServerToClient, " AUTH=PLAIN AUTH=LOGIN", " LOGINDISABLED AUTH=LOGIN");
        var wire = new WireLog();
        await using var pool = new ImapConnectionPool(new ImapPoolOptions { ProtocolLog = wire.Open });

        var error = await Assert.ThrowsAsync<ImapAuthenticationException>(async () => await pool.LeaseAsync(ThroughProxy(proxy, user.Name, "wrong-password", ImapEncryption.None)));
        await Task.Delay(500);

        Assert.True(error.ServerAnswered);
        Assert.Equal(1, Server.CountLoginAttempts(user.Name));
        Assert.Equal(1, ClientCommands(wire, " AUTHENTICATE LOGIN"));
        Assert.Equal(0, ClientCommands(wire, " LOGIN "));
        Assert.Equal(0, ClientCommands(wire, " AUTHENTICATE PLAIN"));
    }

    [DovecotFact]
    public async Task LeaseAsync_LoginDisabledAndNoMechanism_FailsBeforeAnyCredentialIsSentAndIsNotRetried()
    {
        var user = await fixture.CreateUserAsync();
        await using var proxy = new FaultProxy(Server.PlainPort);
        proxy.Rewrite(Direction.ServerToClient, " AUTH=PLAIN AUTH=LOGIN", " LOGINDISABLED");
        var wire = new WireLog();
        await using var pool = new ImapConnectionPool(new ImapPoolOptions { ProtocolLog = wire.Open });
        var account = ThroughProxy(proxy, user.Name, user.Password, ImapEncryption.None);
        account.MaxRetries = 3;

        var error = await Assert.ThrowsAsync<ImapAuthenticationException>(async () => await pool.LeaseAsync(account));
        await Task.Delay(500);

        Assert.Contains("TLS", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, Server.CountLoginAttempts(user.Name));
        Assert.Equal(0, ClientCommands(wire, " LOGIN ") + ClientCommands(wire, " AUTHENTICATE"));
        Assert.Equal(1, proxy.TotalConnections);
    }

    [DovecotFact]
    public async Task LeaseAsync_StartTlsStrippedByAManInTheMiddle_TypedErrorNothingInPlainTextNotRetried()
    {
        var user = await fixture.CreateUserAsync();
        await using var proxy = new FaultProxy(Server.PlainPort);
        var strip = proxy.Rewrite(Direction.ServerToClient, " STARTTLS", string.Empty);
        var wire = new WireLog();
        await using var pool = new ImapConnectionPool(new ImapPoolOptions { ProtocolLog = wire.Open });
        var account = ThroughProxy(proxy, user.Name, user.Password, ImapEncryption.StartTls);
        account.MaxRetries = 3;

        var error = await Assert.ThrowsAsync<ImapCertificateException>(async () => await pool.LeaseAsync(account));
        await Task.Delay(500);

        Assert.True(strip.RewrittenCount >= 1);
        Assert.Contains("did not offer STARTTLS", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsTransient);
        Assert.Equal(0, Server.CountLoginAttempts(user.Name));
        Assert.Equal(0, ClientCommands(wire, " LOGIN ") + ClientCommands(wire, " AUTHENTICATE"));
        Assert.Equal(1, proxy.TotalConnections);
    }

    [DovecotFact]
    public async Task LeaseAsync_StartTlsCommandCut_RetriedOnANewConnectionAndLogsInOnceOverTls()
    {
        var user = await fixture.CreateUserAsync();
        await using var proxy = new FaultProxy(Server.PlainPort);
        var cut = proxy.CutOnPattern(Direction.ClientToServer, "STARTTLS\r\n");
        await using var pool = new ImapConnectionPool();
        var account = ThroughProxy(proxy, user.Name, user.Password, ImapEncryption.StartTls);
        account.MaxRetries = 2;

        await using (var lease = await pool.LeaseAsync(account))
        {
            Assert.True(lease.Client.IsSecure);
            Assert.True(lease.Client.IsAuthenticated);
        }

        Assert.Equal(1, cut.FiredCount);
        Assert.Equal(2, proxy.TotalConnections);
        Assert.Equal(1, await Server.WaitForLoginAttemptsAsync(1, user.Name, TimeSpan.FromSeconds(10)));
    }

    [DovecotTheory]
    [InlineData(Direction.ServerToClient, 100)] // in the middle of the server's hello and certificate
    [InlineData(Direction.ClientToServer, 20)] // in the middle of the client's hello
    public async Task LeaseAsync_CutDuringTheTlsHandshake_IsAConnectionLossRetriedNotACertificateError(Direction direction, int bytes)
    {
        var user = await fixture.CreateUserAsync();
        await using var proxy = new FaultProxy(Server.TlsPort);
        var cut = proxy.CutAfterBytes(direction, bytes, FaultScope.EveryConnection);
        await using var pool = new ImapConnectionPool();
        var account = ThroughProxy(proxy, user.Name, user.Password, ImapEncryption.Tls);
        account.MaxRetries = 2;

        var error = await Assert.ThrowsAsync<ImapConnectException>(async () => await pool.LeaseAsync(account));

        Assert.Equal(3, error.Attempts);
        Assert.Equal(3, cut.FiredCount);
        var cause = Assert.IsType<ImapConnectionException>(error.InnerException);
        Assert.Contains("TLS handshake", cause.Message, StringComparison.Ordinal);
        Assert.Equal(0, Server.CountLoginAttempts(user.Name));

        // The same path with the network healed: validation on, and in.
        cut.Disarm();
        await using (var lease = await pool.LeaseAsync(account))
        {
            Assert.True(lease.Client.IsSecure);
        }

        Assert.Equal(1, await Server.WaitForLoginAttemptsAsync(1, user.Name, TimeSpan.FromSeconds(10)));
    }

    private ImapAccountOptions ThroughProxy(FaultProxy proxy, string user, string password, ImapEncryption encryption)
        => new(proxy.Host, user, ImapCredential.FromPassword(password))
        {
            Encryption = encryption,
            Port = proxy.Port,
            TrustedCertificateAuthorities = new[] { Server.CaCertificate },
            MaxRetries = 0,
            RetryDelay = TimeSpan.FromMilliseconds(10),
            Timeout = TimeSpan.FromSeconds(10),
        };

    // Lines the client sent whose command contains the text, e.g. " LOGIN " in "C: A00000001 LOGIN ...".
    private static int ClientCommands(WireLog wire, string text)
        => wire.ToString().Split('\n').Count(line => line.StartsWith("C: ", StringComparison.Ordinal) && line.Contains(text, StringComparison.Ordinal));
}
