using System.Net;
using System.Net.Sockets;
using System.Text;
using ImapRx.Configuration;
using ImapRx.Pooling;

namespace ImapRx.Tests.Pooling;

/// <summary>
/// Dovecot only speaks XOAUTH2 with an OAuth2 introspection server behind it, so token expiry is played by a tiny
/// scripted IMAP server on loopback: it rejects the first token and accepts a refreshed one.
/// </summary>
public sealed class OAuth2RefreshTests
{
    [Fact]
    public async Task LeaseAsync_ExpiredToken_AsksTheProviderForAFreshOneOnce()
    {
        using var server = new ScriptedXOAuth2Server(acceptedToken: "fresh-token");
        var calls = new List<bool>();
        var credential = ImapCredential.FromAccessTokenProvider((forceRefresh, _) =>
        {
            lock (calls)
            {
                calls.Add(forceRefresh);
            }

            return new ValueTask<string>(forceRefresh ? "fresh-token" : "expired-token");
        });
        await using var pool = new ImapConnectionPool();
        var account = new ImapAccountOptions("127.0.0.1", "ann@example.com", credential) { Port = server.Port, Encryption = ImapEncryption.None, MaxRetries = 0 };

        await using (var lease = await pool.LeaseAsync(account))
        {
            Assert.True(lease.Client.IsAuthenticated);
        }

        Assert.Equal(new[] { false, true }, calls);
        Assert.Equal(new[] { "expired-token", "fresh-token" }, server.TokensSeen);
    }

    [Fact]
    public async Task LeaseAsync_TokenExpiresBetweenConnections_RefreshedEachTimeAndNeverInWireLogOrErrors()
    {
        using var server = new ScriptedXOAuth2Server(acceptedToken: "fresh-token-7f3a");
        var calls = 0;
        var credential = ImapCredential.FromAccessTokenProvider((forceRefresh, _) =>
        {
            Interlocked.Increment(ref calls);
            return new ValueTask<string>(forceRefresh ? "fresh-token-7f3a" : "expired-token-91c2");
        });
        var wire = new Watching.WireLog();
        await using var pool = new ImapConnectionPool(new ImapPoolOptions { ProtocolLog = wire.Open });
        var account = new ImapAccountOptions("127.0.0.1", "ann@example.com", credential) { Port = server.Port, Encryption = ImapEncryption.None, MaxRetries = 0 };

        for (var connection = 0; connection < 3; connection++)
        {
            await using (var lease = await pool.LeaseAsync(account))
            {
                Assert.True(lease.Client.IsAuthenticated);
            }

            await pool.ClearAsync(account); // the next lease connects again, with the cached token expired
        }

        Assert.Equal(6, calls);
        var text = wire.ToString();
        Assert.Contains("AUTHENTICATE XOAUTH2", text);
        foreach (var token in new[] { "fresh-token-7f3a", "expired-token-91c2" })
        {
            Assert.DoesNotContain(token, text);
            Assert.DoesNotContain(Convert.ToBase64String(Encoding.ASCII.GetBytes($"user=ann@example.com\u0001auth=Bearer {token}\u0001\u0001")), text);
            Assert.DoesNotContain(token, account.ToString());
            Assert.DoesNotContain(token, credential.ToString());
        }
    }

    [Fact]
    public async Task LeaseAsync_RefreshedTokenAlsoRejected_FailsWithAuthenticationError()
    {
        using var server = new ScriptedXOAuth2Server(acceptedToken: "never");
        var credential = ImapCredential.FromAccessTokenProvider((refresh, _) => new ValueTask<string>(refresh ? "second" : "first"));
        await using var pool = new ImapConnectionPool();
        var account = new ImapAccountOptions("127.0.0.1", "ann@example.com", credential) { Port = server.Port, Encryption = ImapEncryption.None };

        var error = await Assert.ThrowsAsync<ImapAuthenticationException>(async () => await pool.LeaseAsync(account));

        Assert.DoesNotContain("second", error.ToString());
        Assert.Equal(new[] { "first", "second" }, server.TokensSeen);
    }

    private sealed class ScriptedXOAuth2Server : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly string _acceptedToken;
        private readonly CancellationTokenSource _stop = new();

        internal ScriptedXOAuth2Server(string acceptedToken)
        {
            _acceptedToken = acceptedToken;
            _listener.Start();
            _ = AcceptLoopAsync();
        }

        internal int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        internal List<string> TokensSeen { get; } = new();

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
        }

        private async Task AcceptLoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient socket;
                try
                {
                    socket = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception)
                {
                    return;
                }

                _ = ServeAsync(socket);
            }
        }

        private async Task ServeAsync(TcpClient socket)
        {
            using (socket)
            {
                var stream = socket.GetStream();
                using var reader = new StreamReader(stream, Encoding.ASCII);
                await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
                const string capabilities = "IMAP4rev1 SASL-IR AUTH=XOAUTH2";
                await writer.WriteLineAsync($"* OK [CAPABILITY {capabilities}] scripted server ready");
                while (await reader.ReadLineAsync() is { } line)
                {
                    var parts = line.Split(' ');
                    var tag = parts[0];
                    var command = parts.Length > 1 ? parts[1].ToUpperInvariant() : string.Empty;
                    if (command == "AUTHENTICATE" && parts.Length > 3)
                    {
                        var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(parts[3]));
                        var token = decoded.Split('\u0001').First(p => p.StartsWith("auth=Bearer ", StringComparison.Ordinal))["auth=Bearer ".Length..];
                        lock (TokensSeen)
                        {
                            TokensSeen.Add(token);
                        }

                        await writer.WriteLineAsync(token == _acceptedToken
                            ? $"{tag} OK [CAPABILITY {capabilities}] authenticated"
                            : $"{tag} NO [AUTHENTICATIONFAILED] invalid token");
                    }
                    else if (command == "LOGOUT")
                    {
                        await writer.WriteLineAsync("* BYE bye");
                        await writer.WriteLineAsync($"{tag} OK done");
                        return;
                    }
                    else if (command == "CAPABILITY")
                    {
                        await writer.WriteLineAsync($"* CAPABILITY {capabilities}");
                        await writer.WriteLineAsync($"{tag} OK done");
                    }
                    else if (command == "LIST")
                    {
                        await writer.WriteLineAsync("* LIST (\\HasNoChildren) \"/\" INBOX");
                        await writer.WriteLineAsync($"{tag} OK done");
                    }
                    else
                    {
                        await writer.WriteLineAsync($"{tag} OK done");
                    }
                }
            }
        }
    }
}
