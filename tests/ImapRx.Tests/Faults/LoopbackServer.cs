using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace ImapRx.Tests.Faults;

/// <summary>A tiny TCP server on 127.0.0.1 for proxy tests: an echo server, or a script run per connection.</summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly Func<NetworkStream, CancellationToken, Task> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<Task> _sessions = new();
    private readonly Task _acceptLoop;
    private long _bytesReceived;
    private int _accepted;

    private LoopbackServer(Func<LoopbackServer, NetworkStream, CancellationToken, Task> script)
    {
        _script = (stream, ct) => script(this, stream, ct);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(512);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port { get; }

    /// <summary>Bytes the echo server has read, all connections together.</summary>
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Echoes every byte back; half-closes when the client half-closes.</summary>
    public static LoopbackServer Echo() => new(static (server, stream, ct) => server.EchoAsync(stream, ct));

    /// <summary>Runs <paramref name="script"/> for each accepted connection, then closes it.</summary>
    public static LoopbackServer Scripted(Func<NetworkStream, CancellationToken, Task> script) =>
        new((_, stream, ct) => script(stream, ct));

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        await _acceptLoop;
        foreach (var session in _sessions)
        {
            // Sessions end with their connection; a failed one is the test's business, not disposal's.
            await session.ContinueWith(static _ => { }, TaskScheduler.Default);
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            Socket accepted;
            try
            {
                accepted = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            Interlocked.Increment(ref _accepted);
            _sessions.Enqueue(RunSessionAsync(accepted));
        }
    }

    private async Task RunSessionAsync(Socket socket)
    {
        socket.NoDelay = true;
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            await _script(stream, _stop.Token);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The proxy cut or the test ended the connection.
        }
    }

    private async Task EchoAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        while (true)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                stream.Socket.Shutdown(SocketShutdown.Send);
                return;
            }

            Interlocked.Add(ref _bytesReceived, read);
            await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
    }
}
