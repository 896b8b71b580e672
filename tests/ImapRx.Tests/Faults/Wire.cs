using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ImapRx.Tests.Faults;

/// <summary>Client-side helpers for proxy tests.</summary>
internal static class Wire
{
    /// <summary>A generous ceiling for a test that hangs; passing tests take milliseconds.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    public static async Task<TcpClient> ConnectAsync(int port, CancellationToken cancellationToken)
    {
        var client = new TcpClient { NoDelay = true };
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public static async Task<byte[]> ReadExactlyAsync(Stream stream, int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer, cancellationToken);
        return buffer;
    }

    public static async Task<string> ReadTextAsync(Stream stream, int count, CancellationToken cancellationToken) =>
        Encoding.ASCII.GetString(await ReadExactlyAsync(stream, count, cancellationToken));

    /// <summary>Reads until the peer closes (EOF) or resets the connection; returns what arrived before that.</summary>
    public static async Task<(byte[] Bytes, bool Reset)> ReadUntilClosedAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var received = new MemoryStream();
        var buffer = new byte[16384];
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(buffer, cancellationToken);
                if (read == 0)
                {
                    return (received.ToArray(), false);
                }

                received.Write(buffer, 0, read);
            }
        }
        catch (IOException ex) when (ex.InnerException is SocketException)
        {
            return (received.ToArray(), true);
        }
    }

    /// <summary>
    /// Connects and reads until closed; for a proxy that resets new connections. The reset can beat the end of
    /// the client's connect, which then fails with ConnectionReset instead of the first read: both mean "reset".
    /// </summary>
    public static async Task<byte[]> ConnectAndReadUntilClosedAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var client = await ConnectAsync(port, cancellationToken);
            return (await ReadUntilClosedAsync(client.GetStream(), cancellationToken)).Bytes;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
            return [];
        }
    }

    public static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);
}
