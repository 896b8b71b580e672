using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ImapRx.Tests.Pooling;

/// <summary>
/// An OAuth2 token introspection endpoint (RFC 7662) on 127.0.0.1 for Dovecot's oauth2 passdb: Dovecot POSTs
/// <c>token=...</c> for every XOAUTH2 or OAUTHBEARER login, and this answers active for the one accepted token.
/// Every token Dovecot asked about is recorded, so a test counts token checks on the server's side.
/// </summary>
internal sealed class OAuth2IntrospectionEndpoint : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _tokensChecked = new();
    private readonly Task _accepting;

    internal OAuth2IntrospectionEndpoint(string user, string acceptedToken)
    {
        User = user;
        AcceptedToken = acceptedToken;
        _listener.Start();
        _accepting = AcceptLoopAsync();
    }

    internal string User { get; }

    internal string AcceptedToken { get; set; }

    internal string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/introspect";

    internal IReadOnlyList<string> TokensChecked
    {
        get
        {
            lock (_tokensChecked)
            {
                return _tokensChecked.ToArray();
            }
        }
    }

    /// <summary>The passdb and mechanism lines for <see cref="Sandbox.Server.DovecotServerOptions.ExtraConfiguration"/>; writes the oauth2 file into <paramref name="directory"/>.</summary>
    internal IReadOnlyList<string> DovecotConfiguration(string directory)
    {
        var file = Path.Combine(directory, "oauth2.conf.ext");
        File.WriteAllText(file, $"""
            introspection_mode = post
            introspection_url = {Url}
            username_attribute = username
            active_attribute = active
            active_value = true

            """);
        if (!OperatingSystem.IsWindows())
        {
            // Dovecot's auth process runs as its own user and reads the file after dropping root.
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        return new[]
        {
            "auth_mechanisms = plain login xoauth2 oauthbearer",
            "passdb {",
            "  driver = oauth2",
            "  mechanisms = xoauth2 oauthbearer",
            $"  args = {file}",
            "}",
        };
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
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
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
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
            try
            {
                var stream = socket.GetStream();
                var request = await ReadRequestAsync(stream);
                var token = Uri.UnescapeDataString(request.Split('&').Select(p => p.Split('=', 2)).First(p => p[0] == "token")[1].Replace('+', ' '));
                lock (_tokensChecked)
                {
                    _tokensChecked.Add(token);
                }

                var body = token == AcceptedToken
                    ? $$"""{"active":true,"username":"{{User}}"}"""
                    : """{"active":false}""";
                var response = $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";
                await stream.WriteAsync(Encoding.UTF8.GetBytes(response), _stop.Token);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or InvalidOperationException)
            {
                // A half request from a client that went away: nothing to answer.
            }
        }
    }

    // Headers up to the blank line, then exactly Content-Length bytes of form body.
    private async Task<string> ReadRequestAsync(NetworkStream stream)
    {
        var data = new List<byte>();
        var buffer = new byte[4096];
        int headerEnd;
        while ((headerEnd = IndexOfBlankLine(data)) < 0)
        {
            var read = await stream.ReadAsync(buffer, _stop.Token);
            if (read == 0)
            {
                throw new IOException("The request ended early.");
            }

            data.AddRange(buffer.AsSpan(0, read).ToArray());
        }

        var headers = Encoding.ASCII.GetString(data.GetRange(0, headerEnd).ToArray());
        var length = headers.Split("\r\n")
            .Where(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            .Select(h => int.Parse(h["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture))
            .FirstOrDefault();
        var bodyStart = headerEnd + 4;
        while (data.Count - bodyStart < length)
        {
            var read = await stream.ReadAsync(buffer, _stop.Token);
            if (read == 0)
            {
                throw new IOException("The body ended early.");
            }

            data.AddRange(buffer.AsSpan(0, read).ToArray());
        }

        return Encoding.ASCII.GetString(data.GetRange(bodyStart, length).ToArray());
    }

    private static int IndexOfBlankLine(List<byte> data)
    {
        for (var i = 0; i + 3 < data.Count; i++)
        {
            if (data[i] == '\r' && data[i + 1] == '\n' && data[i + 2] == '\r' && data[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }
}
