using System.Net;
using System.Net.Sockets;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text;
using ImapRx.Configuration;
using MimeKit;

namespace ImapRx.Tests.Client;

/// <summary>
/// Dovecot always reports the new UID (APPENDUID), even with UIDPLUS left out of its capabilities, so a scripted
/// server plays one without UIDPLUS: Append must still say it stored the message, with a null UID.
/// </summary>
public sealed class AppendWithoutUidPlusTests
{
    [Fact]
    public async Task Append_ServerWithoutUidPlus_EmitsNullOnceInsteadOfNothing()
    {
        using var server = new ScriptedServer();
        var account = new ImapAccountOptions("127.0.0.1", "ann", ImapCredential.FromPassword("pw"))
        {
            Port = server.Port,
            Encryption = ImapEncryption.None,
            MaxRetries = 0,
        };
        await using var client = new ImapRxClient(account);
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Ann", "ann@example.com"));
        message.Subject = "draft";
        message.Body = new TextPart("plain") { Text = "hello" };

        var results = await client.Append("Drafts", message).ToList().ToTask().WaitAsync(TimeSpan.FromSeconds(30));

        var uid = Assert.Single(results);
        Assert.Null(uid);
        Assert.Equal(1, server.Appends);
    }

    private sealed class ScriptedServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private int _appends;

        internal ScriptedServer()
        {
            _listener.Start();
            _ = AcceptLoopAsync();
        }

        internal int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        internal int Appends => Volatile.Read(ref _appends);

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
                await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
                await writer.WriteLineAsync("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] scripted server without UIDPLUS");
                while (await ReadLineAsync(stream) is { } line)
                {
                    var parts = line.Split(' ');
                    var tag = parts[0];
                    var command = parts.Length > 1 ? parts[1].ToUpperInvariant() : string.Empty;
                    switch (command)
                    {
                        case "LIST":
                            await writer.WriteLineAsync(line.Contains("\"\" \"\"", StringComparison.Ordinal) ? "* LIST (\\Noselect) \"/\" \"\"" : "* LIST () \"/\" Drafts");
                            await writer.WriteLineAsync($"{tag} OK LIST done");
                            break;
                        case "APPEND":
                            var size = int.Parse(line[(line.LastIndexOf('{') + 1)..line.LastIndexOf('}')].TrimEnd('+'), System.Globalization.CultureInfo.InvariantCulture);
                            await writer.WriteLineAsync("+ go ahead");
                            var buffer = new byte[size];
                            await stream.ReadExactlyAsync(buffer);
                            await ReadLineAsync(stream); // the CRLF that ends the command
                            Interlocked.Increment(ref _appends);
                            await writer.WriteLineAsync($"{tag} OK APPEND done"); // no [APPENDUID]: the server has no UIDPLUS
                            break;
                        case "LOGOUT":
                            await writer.WriteLineAsync("* BYE");
                            await writer.WriteLineAsync($"{tag} OK LOGOUT done");
                            return;
                        case "CAPABILITY":
                            await writer.WriteLineAsync("* CAPABILITY IMAP4rev1 AUTH=PLAIN");
                            await writer.WriteLineAsync($"{tag} OK CAPABILITY done");
                            break;
                        default:
                            await writer.WriteLineAsync($"{tag} OK {command} done");
                            break;
                    }
                }
            }
        }

        private static async Task<string?> ReadLineAsync(NetworkStream stream)
        {
            var line = new StringBuilder();
            var one = new byte[1];
            while (await stream.ReadAsync(one) == 1)
            {
                if (one[0] == '\n')
                {
                    return line.ToString().TrimEnd('\r');
                }

                line.Append((char)one[0]);
            }

            return line.Length > 0 ? line.ToString() : null;
        }
    }
}
