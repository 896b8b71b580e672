using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace ImapRx.Pooling;

/// <summary>
/// Opens the TCP connection ImapRx hands to MailKit, with TCP keepalive on: after 60 s without traffic the
/// kernel probes every 10 s and gives up after 3 unanswered probes. That keeps NAT and firewall mappings of quiet
/// pooled connections alive, and lets the operating system fail a connection whose peer vanished (about 90 s
/// of silence). It cannot see a peer that keeps its socket open but stops answering; the watch heartbeat and the
/// command timeout catch that.
/// </summary>
internal static class KeepAliveSocket
{
    internal static readonly TimeSpan Idle = TimeSpan.FromSeconds(60);
    internal static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    internal const int Probes = 3;

    // SocketOptionName.TcpKeepAliveTime/Interval/RetryCount, absent from netstandard2.0's enum; the runtime
    // (.NET Core 3.0+, and Windows 10 1709+ under .NET Framework) knows them by these numbers.
    private const SocketOptionName TcpKeepAliveTime = (SocketOptionName)3;
    private const SocketOptionName TcpKeepAliveInterval = (SocketOptionName)17;
    private const SocketOptionName TcpKeepAliveRetryCount = (SocketOptionName)16;

    /// <summary>
    /// Connects to the first address of <paramref name="host"/> that accepts, within <paramref name="timeout"/>.
    /// Failures are the socket's own (<see cref="SocketException"/>), or a <see cref="TimeoutException"/>.
    /// </summary>
    internal static async Task<Socket> ConnectAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var addresses = IPAddress.TryParse(host, out var literal)
            ? new[] { literal }
            : await Dns.GetHostAddressesAsync(host).ConfigureAwait(false);
        Exception? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                EnableKeepAlive(socket);
                using (deadline.Token.Register(static s => ((Socket)s!).Dispose(), socket))
                {
                    await socket.ConnectAsync(new IPEndPoint(address, port)).ConfigureAwait(false);
                }

                deadline.Token.ThrowIfCancellationRequested();
                return socket;
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                socket.Dispose();
                cancellationToken.ThrowIfCancellationRequested();
                if (deadline.IsCancellationRequested)
                {
                    throw new TimeoutException($"Connecting to {host}:{port} took longer than {timeout.TotalSeconds:0.###} s.");
                }

                last = ex;
            }
        }

        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    private static void EnableKeepAlive(Socket socket)
    {
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Tcp, TcpKeepAliveTime, (int)Idle.TotalSeconds);
            socket.SetSocketOption(SocketOptionLevel.Tcp, TcpKeepAliveInterval, (int)Interval.TotalSeconds);
            socket.SetSocketOption(SocketOptionLevel.Tcp, TcpKeepAliveRetryCount, Probes);
        }
        catch (Exception ex) when (ex is SocketException or PlatformNotSupportedException or NotSupportedException)
        {
            // An older platform: keepalive stays on with the operating system's own timings.
        }
    }
}
