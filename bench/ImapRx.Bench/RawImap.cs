using System.Net.Sockets;
using System.Text;

namespace ImapRx.Bench;

/// <summary>
/// The floor: a socket that logs in and sends commands, then only reads bytes until the tagged reply. No parsing
/// beyond finding the tag at the start of a line (a literal could in theory contain one; not in this corpus).
/// </summary>
public sealed class RawImap : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly byte[] _buffer = new byte[256 * 1024];
    private int _tag;

    private RawImap(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public static async Task<RawImap> ConnectAsync(string host, int port, string user, string password)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(host, port);
        var raw = new RawImap(tcp);
        await raw.ReadLineAsync(); // greeting
        await raw.CommandAsync($"LOGIN \"{user}\" \"{password}\"");
        return raw;
    }

    /// <summary>Sends a command and reads to its tagged completion; returns the bytes read.</summary>
    public async Task<long> CommandAsync(string command)
    {
        var tag = "r" + (++_tag).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await _stream.WriteAsync(Encoding.ASCII.GetBytes(tag + " " + command + "\r\n"));
        var marker = Encoding.ASCII.GetBytes("\n" + tag + " ");
        long total = 0;
        var carry = 0; // bytes kept from the previous read, so a marker split across reads is found
        while (true)
        {
            var read = await _stream.ReadAsync(_buffer.AsMemory(carry, _buffer.Length - carry));
            if (read == 0)
            {
                throw new IOException("The server closed the connection.");
            }

            total += read;
            var window = _buffer.AsSpan(0, carry + read);
            var at = window.IndexOf(marker);
            if (at >= 0 || (total == read && window.StartsWith(marker.AsSpan(1))))
            {
                // The tagged line may end in a later read: keep all of it, not just its last piece.
                var start = at >= 0 ? at + 1 : 0;
                var tagged = new List<byte>(window[start..].ToArray());
                while (tagged.IndexOf((byte)'\n') < 0)
                {
                    var more = await _stream.ReadAsync(_buffer.AsMemory(0, 4096));
                    if (more == 0)
                    {
                        throw new IOException("The server closed the connection.");
                    }

                    total += more;
                    tagged.AddRange(_buffer.AsSpan(0, more).ToArray());
                }

                var line = Encoding.ASCII.GetString(tagged.ToArray(), 0, tagged.IndexOf((byte)'\n'));
                if (!line.StartsWith(tag + " OK", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException("Server said: " + line);
                }

                return total;
            }

            carry = Math.Min(marker.Length, window.Length);
            window[^carry..].CopyTo(_buffer);
        }
    }

    /// <summary>Sends a line without waiting for anything (IDLE's DONE, say).</summary>
    public Task SendAsync(string line) => _stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n")).AsTask();

    /// <summary>Starts a command and returns its tag without reading the reply.</summary>
    public async Task<string> StartAsync(string command)
    {
        var tag = "r" + (++_tag).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await SendAsync(tag + " " + command);
        return tag;
    }

    private readonly StringBuilder _line = new();
    private readonly byte[] _one = new byte[1];

    /// <summary>Reads one line (for IDLE, where lines are few and latency is what counts).</summary>
    public async Task<string> ReadLineAsync(CancellationToken cancellationToken = default)
    {
        _line.Clear();
        while (true)
        {
            if (await _stream.ReadAsync(_one, cancellationToken) == 0)
            {
                throw new IOException("The server closed the connection.");
            }

            if (_one[0] == '\n')
            {
                return _line.ToString().TrimEnd('\r');
            }

            _line.Append((char)_one[0]);
        }
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
