using System.Net;
using System.Net.Sockets;
using ImapRx.Configuration;
using ImapRx.Pooling;
using ImapRx.Sandbox.Server;
using ImapRx.Tests.Server;
using MailKit.Net.Imap;
using MailKit.Security;
using Microsoft.Reactive.Testing;

namespace ImapRx.Tests.Pooling;

[Collection(DovecotCollection.Name)]
public sealed class ImapConnectionPoolTests(DovecotFixture fixture)
{
    private DovecotServer Server => fixture.Server;

    [DovecotFact]
    public async Task LeaseAsync_FiftyConcurrentOnALimitOfThree_NeverOpensMoreThanThreeServerConnections()
    {
        var user = await fixture.CreateUserAsync();
        await using var pool = new ImapConnectionPool();
        var account = SandboxAccounts.For(Server, user, maxConnections: 3);
        var maxSeen = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                maxSeen = Math.Max(maxSeen, await Server.CountConnectionsAsync(user.Name));
                await Task.Delay(20);
            }
        });

        var work = Enumerable.Range(0, 50).Select(async i =>
        {
            await using var lease = await pool.LeaseAsync(account);
            var inbox = await lease.OpenFolderAsync("INBOX");
            await lease.Client.NoOpAsync();
            return inbox.FullName;
        });
        var results = await Task.WhenAll(work);
        sampling.Cancel();
        await sampler;

        Assert.All(results, r => Assert.Equal("INBOX", r));
        Assert.InRange(maxSeen, 1, 3);
        Assert.InRange(pool.GetStatistics(account).OpenConnections, 1, 3);
        Assert.Equal(0, pool.GetStatistics(account).LeasesInUse);
    }

    [DovecotFact]
    public async Task ClearAsync_AfterUse_ClosesEveryServerConnection()
    {
        var user = await fixture.CreateUserAsync();
        await using var pool = new ImapConnectionPool();
        var account = SandboxAccounts.For(Server, user);
        var leases = new List<ImapLease>();
        for (var i = 0; i < 3; i++)
        {
            leases.Add(await pool.LeaseAsync(account));
        }

        foreach (var lease in leases)
        {
            await lease.DisposeAsync();
        }

        Assert.Equal(3, await Server.WaitForConnectionsAsync(3, user.Name, TimeSpan.FromSeconds(10)));
        await pool.ClearAsync(account);

        Assert.Equal(0, await Server.WaitForConnectionsAsync(0, user.Name, TimeSpan.FromSeconds(10)));
        Assert.Equal(0, pool.GetStatistics(account).OpenConnections);
    }

    [DovecotFact]
    public async Task LeaseAsync_ConnectionKilledServerSide_IsDiscardedAndReplaced()
    {
        var user = await fixture.CreateUserAsync();
        await using var pool = new ImapConnectionPool();
        var account = new ImapAccountOptions(Server.Host, user.Name, ImapCredential.FromPassword(user.Password))
        {
            Port = Server.TlsPort,
            TrustedCertificateAuthorities = new[] { Server.CaCertificate },
            HealthCheckAfter = TimeSpan.Zero, // check before every reuse
        };
        string firstId;
        await using (var lease = await pool.LeaseAsync(account))
        {
            firstId = lease.ConnectionId;
        }

        await Server.RunDoveadmAsync(new[] { "kick", user.Name });
        await Server.WaitForConnectionsAsync(0, user.Name, TimeSpan.FromSeconds(10));

        await using (var lease = await pool.LeaseAsync(account))
        {
            Assert.NotEqual(firstId, lease.ConnectionId);
            await lease.Client.NoOpAsync();
        }

        Assert.Equal(1, pool.GetStatistics(account).OpenConnections);
    }

    [DovecotFact]
    public async Task LeaseAsync_WrongPassword_FailsFastAndIsAttemptedOnce()
    {
        var user = await fixture.CreateUserAsync();
        var baselineUser = await fixture.CreateUserAsync();

        // What one MailKit AuthenticateAsync(user, password) call costs in log lines (it tries several mechanisms).
        using (var raw = new ImapClient { ServerCertificateValidationCallback = Server.ValidateServerCertificate })
        {
            await raw.ConnectAsync(Server.Host, Server.TlsPort, SecureSocketOptions.SslOnConnect);
            await Assert.ThrowsAsync<AuthenticationException>(() => raw.AuthenticateAsync(baselineUser.Name, "wrong"));
        }

        var perCall = await Server.WaitForLoginAttemptsAsync(1, baselineUser.Name, TimeSpan.FromSeconds(10));
        await using var pool = new ImapConnectionPool();
        var account = new ImapAccountOptions(Server.Host, user.Name, ImapCredential.FromPassword("wrong"))
        {
            Port = Server.TlsPort,
            TrustedCertificateAuthorities = new[] { Server.CaCertificate },
            MaxRetries = 3,
            RetryDelay = TimeSpan.FromMilliseconds(10),
        };

        var error = await Assert.ThrowsAsync<ImapAuthenticationException>(async () => await pool.LeaseAsync(account));
        await Task.Delay(500); // Dovecot logs a moment late; a retry would show up here

        // One mechanism, one attempt: MailKit's AuthenticateAsync(user, password) walks every mechanism it knows
        // (the baseline above), each a failed login that counts towards an account lock.
        Assert.Equal(1, Server.CountLoginAttempts(user.Name));
        Assert.True(perCall >= 1, $"baseline {perCall}");
        Assert.True(error.ServerAnswered);
        Assert.DoesNotContain("wrong", error.Message);
        Assert.Equal(0, pool.GetStatistics(account).OpenConnections);
    }

    [Fact]
    public async Task LeaseAsync_RefusedPort_RetriesMaxRetriesThenFailsNamingTheServer()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now: connections are refused
        await using var pool = new ImapConnectionPool();
        var account = new ImapAccountOptions("127.0.0.1", "u", ImapCredential.FromPassword("p"))
        {
            Port = port,
            Encryption = ImapEncryption.None,
            MaxRetries = 2,
            RetryDelay = TimeSpan.FromMilliseconds(10),
        };

        var error = await Assert.ThrowsAsync<ImapConnectException>(async () => await pool.LeaseAsync(account));

        Assert.Equal(3, error.Attempts);
        Assert.Contains($"127.0.0.1:{port}", error.Message);
        var cause = Assert.IsType<ImapConnectionException>(error.InnerException);
        Assert.IsType<SocketException>(cause.InnerException);
    }

    [DovecotFact]
    public async Task Eviction_IdleConnection_ClosedAtExactlyTheConfiguredAgeOnTheScheduler()
    {
        var user = await fixture.CreateUserAsync();
        var scheduler = new TestScheduler();
        await using var pool = new ImapConnectionPool(new ImapPoolOptions { Scheduler = scheduler });
        var account = new ImapAccountOptions(Server.Host, user.Name, ImapCredential.FromPassword(user.Password))
        {
            Port = Server.TlsPort,
            TrustedCertificateAuthorities = new[] { Server.CaCertificate },
            ConnectionIdleLifetime = TimeSpan.FromMinutes(5),
        };
        await (await pool.LeaseAsync(account)).DisposeAsync();

        scheduler.AdvanceBy(TimeSpan.FromMinutes(5).Ticks - 1);
        var justBefore = pool.GetStatistics(account).OpenConnections;
        scheduler.AdvanceBy(1);

        Assert.Equal(1, justBefore);
        Assert.Equal(0, pool.GetStatistics(account).OpenConnections);
        Assert.Equal(0, await Server.WaitForConnectionsAsync(0, user.Name, TimeSpan.FromSeconds(10)));
    }

    [DovecotFact]
    public async Task LeaseAsync_AllConnectionsBusy_TimesOutWithAClearError()
    {
        var user = await fixture.CreateUserAsync();
        await using var pool = new ImapConnectionPool();
        var account = new ImapAccountOptions(Server.Host, user.Name, ImapCredential.FromPassword(user.Password))
        {
            Port = Server.TlsPort,
            TrustedCertificateAuthorities = new[] { Server.CaCertificate },
            MaxConnections = 1,
            LeaseTimeout = TimeSpan.FromMilliseconds(200),
        };
        await using var held = await pool.LeaseAsync(account);

        var error = await Assert.ThrowsAsync<ImapLeaseTimeoutException>(async () => await pool.LeaseAsync(account));

        Assert.Equal(account.AccountKey, error.AccountKey);
        Assert.Contains("MaxConnections", error.Message);
        Assert.Equal(1, pool.GetStatistics(account).LeasesInUse);
    }

    [DovecotFact]
    public async Task LeaseAsync_ClientId_IsSentWithTheImapIdCommand()
    {
        var user = await fixture.CreateUserAsync();
        await using var pool = new ImapConnectionPool();
        var account = new ImapAccountOptions(Server.Host, user.Name, ImapCredential.FromPassword(user.Password))
        {
            Port = Server.TlsPort,
            TrustedCertificateAuthorities = new[] { Server.CaCertificate },
            ClientId = "nightly-archiver",
        };

        await using (var lease = await pool.LeaseAsync(account))
        {
            await lease.Client.NoOpAsync();
        }

        Assert.Equal(1, await Server.WaitForLogLinesAsync("nightly-archiver", 1, TimeSpan.FromSeconds(10)));
    }

    [DovecotFact]
    public async Task States_LeaseLifecycle_StreamsAuthenticatedSelectedErrorDisconnected()
    {
        var user = await fixture.CreateUserAsync();
        await using var pool = new ImapConnectionPool();
        var account = SandboxAccounts.For(Server, user);
        var states = new List<ImapConnectionState>();
        var completed = new TaskCompletionSource();

        await using (var lease = await pool.LeaseAsync(account))
        {
            lease.Connection.States.Subscribe(s => { lock (states) { states.Add(s); } }, () => completed.TrySetResult());
            await lease.OpenFolderAsync("INBOX");
            lease.Invalidate(); // as if a command had broken the stream: the pool must throw it away
        }

        await completed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(new[] { ImapConnectionState.Authenticated, ImapConnectionState.Selected, ImapConnectionState.Error, ImapConnectionState.Disconnected }, states);
        Assert.Equal(0, pool.GetStatistics(account).OpenConnections);
        Assert.Equal(0, await Server.WaitForConnectionsAsync(0, user.Name, TimeSpan.FromSeconds(10)));
    }

    [DovecotFact]
    public async Task HealthCheck_IdleConnection_CheckedOnlyOnceItSatForHealthCheckAfter()
    {
        var user = await fixture.CreateUserAsync();
        var scheduler = new TestScheduler();
        await using var pool = new ImapConnectionPool(new ImapPoolOptions { Scheduler = scheduler });
        var account = new ImapAccountOptions(Server.Host, user.Name, ImapCredential.FromPassword(user.Password))
        {
            Port = Server.TlsPort,
            TrustedCertificateAuthorities = new[] { Server.CaCertificate },
            HealthCheckAfter = TimeSpan.FromSeconds(30),
            MaxConnections = 1,
        };
        string first;
        await using (var lease = await pool.LeaseAsync(account))
        {
            first = lease.ConnectionId;
        }

        await Server.RunDoveadmAsync(new[] { "kick", user.Name });
        await Server.WaitForConnectionsAsync(0, user.Name, TimeSpan.FromSeconds(10));

        // 29.999 s idle: handed out unchecked (no NOOP round trip on a hot path).
        scheduler.AdvanceBy(TimeSpan.FromSeconds(30).Ticks - 1);
        await using (var lease = await pool.LeaseAsync(account))
        {
            Assert.Equal(first, lease.ConnectionId);
        }

        // 30 s idle: NOOP first, which finds the kicked connection dead and replaces it.
        scheduler.AdvanceBy(TimeSpan.FromSeconds(30).Ticks);
        await using (var lease = await pool.LeaseAsync(account))
        {
            Assert.NotEqual(first, lease.ConnectionId);
            await lease.Client.NoOpAsync();
        }
    }
}
