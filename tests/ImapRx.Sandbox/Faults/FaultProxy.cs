using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace ImapRx.Sandbox.Faults;

/// <summary>
/// A TCP proxy for tests that sits between a client and a server on 127.0.0.1 and injects faults while traffic
/// flows: cuts (all at once, after a byte count or on a byte pattern), stalls, per-chunk delays, injected
/// bytes, refused or reset connections. Every fault that takes effect is recorded in <see cref="Events"/>, so a
/// test can prove that its fault really fired.
/// </summary>
/// <remarks>
/// Each connection runs on two async pumps with one bounded buffer each (no thread per connection). Disposing
/// stops the listener, resets every live connection and waits for all pumps to finish.
/// </remarks>
public sealed partial class FaultProxy : IAsyncDisposable
{
    /// <summary>The default size of each pump's buffer, which is also the largest chunk forwarded at once.</summary>
    public const int DefaultBufferSize = 16 * 1024;

    private const int Backlog = 512;
    private const int MaxBufferSize = 1024 * 1024;

    private readonly ConcurrentDictionary<ProxyConnection, byte> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly object _listenerLock = new();
    private readonly Task _acceptLoop;
    private volatile Socket _listener;
    private TaskCompletionSource _listening = NewListeningSignal(completed: true);
    private int _nextConnectionId;
    private int _activeConnections;
    private long _totalConnections;
    private long _bytesFromClient;
    private long _bytesFromServer;
    private int _disposed;

    /// <summary>Starts a proxy to a server on 127.0.0.1.</summary>
    /// <param name="targetPort">The server's port.</param>
    public FaultProxy(int targetPort)
        : this(IPAddress.Loopback.ToString(), targetPort)
    {
    }

    /// <summary>Starts a proxy listening on a free port of 127.0.0.1.</summary>
    /// <param name="targetHost">The server's address; only "127.0.0.1" is accepted.</param>
    /// <param name="targetPort">The server's port.</param>
    /// <param name="bufferSize">Each pump's buffer size in bytes (1 to 1 MiB).</param>
    /// <exception cref="ArgumentException">The host is not 127.0.0.1, or the port or buffer size is out of range.</exception>
    public FaultProxy(string targetHost, int targetPort, int bufferSize = DefaultBufferSize)
    {
        ArgumentNullException.ThrowIfNull(targetHost);
        if (!IPAddress.TryParse(targetHost, out var address) || !address.Equals(IPAddress.Loopback))
        {
            throw new ArgumentException($"The target must be 127.0.0.1, not '{targetHost}': the proxy never leaves the machine.", nameof(targetHost));
        }

        if (targetPort is < IPEndPoint.MinPort + 1 or > IPEndPoint.MaxPort)
        {
            throw new ArgumentOutOfRangeException(nameof(targetPort), targetPort, "Must be 1 to 65535.");
        }

        if (bufferSize is < 1 or > MaxBufferSize)
        {
            throw new ArgumentOutOfRangeException(nameof(bufferSize), bufferSize, $"Must be 1 to {MaxBufferSize}.");
        }

        Target = new IPEndPoint(IPAddress.Loopback, targetPort);
        BufferSize = bufferSize;
        _listener = ListenOnFreePort();
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>Gets the address clients connect to: always "127.0.0.1".</summary>
    public string Host => IPAddress.Loopback.ToString();

    /// <summary>Gets the port clients connect to; it stays the same while connections are refused.</summary>
    public int Port { get; }

    /// <summary>Gets the server's port.</summary>
    public int TargetPort => Target.Port;

    /// <summary>Gets how many accepted connections have not ended yet.</summary>
    public int ActiveConnections => Volatile.Read(ref _activeConnections);

    /// <summary>Gets how many connections were ever accepted, including those reset at once.</summary>
    public long TotalConnections => Interlocked.Read(ref _totalConnections);

    /// <summary>Gets how many bytes the proxy received from clients (forwarded or not).</summary>
    public long BytesFromClient => Interlocked.Read(ref _bytesFromClient);

    /// <summary>Gets how many bytes the proxy received from the server (forwarded or not).</summary>
    public long BytesFromServer => Interlocked.Read(ref _bytesFromServer);

    internal IPEndPoint Target { get; }

    internal int BufferSize { get; }

    internal CancellationToken Stopping => _stopping.Token;

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping.Cancel();
        lock (_listenerLock)
        {
            _listener.Dispose();
        }

        await _acceptLoop.ConfigureAwait(false);

        // No connection can start any more; every one that did is in the dictionary until its task has finished.
        var running = _connections.Keys.ToList();
        foreach (var connection in running)
        {
            connection.Abort("proxy disposed");
        }

        await Task.WhenAll(running.Select(c => c.Completion)).ConfigureAwait(false);
        Log.Complete();
        _stopping.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() => $"FaultProxy {Host}:{Port} -> {Target}";

    internal void CountReceived(Direction direction, int count) =>
        Interlocked.Add(ref direction == Direction.ClientToServer ? ref _bytesFromClient : ref _bytesFromServer, count);

    internal void OnConnectionEnding() => Interlocked.Decrement(ref _activeConnections);

    private static TaskCompletionSource NewListeningSignal(bool completed)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed)
        {
            signal.SetResult();
        }

        return signal;
    }

    private static Socket Listen(int port, bool reuseAddress)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, reuseAddress);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            socket.Listen(Backlog);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    // Bound to an explicit port rather than 0: Linux forgets an automatically chosen port when a listener is
    // paused (see PauseListener), and the port must survive RefuseConnections(true).
    private static Socket ListenOnFreePort()
    {
        for (var attempt = 0; ; attempt++)
        {
            int port;
            using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
            {
                probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                port = ((IPEndPoint)probe.LocalEndPoint!).Port;
            }

            try
            {
                return Listen(port, reuseAddress: false);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse && attempt < 20)
            {
                // Someone took the probed port in between; probe again.
            }
        }
    }

    private async Task AcceptLoopAsync()
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            Socket accepted;
            try
            {
                accepted = await _listener.AcceptAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // Paused or replaced by RefuseConnections: wait until it listens again. Otherwise a client gave
                // up before being accepted, or the listener is in trouble (out of descriptors): pause briefly
                // rather than spin.
                var listening = Volatile.Read(ref _listening).Task;
                try
                {
                    await (listening.IsCompleted ? Task.Delay(10, token) : listening.WaitAsync(token)).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            Interlocked.Increment(ref _totalConnections);
            if (_resetNewConnections || token.IsCancellationRequested)
            {
                accepted.LingerState = new LingerOption(true, 0);
                accepted.Dispose();
                Log.Publish(FaultEventKind.ConnectionReset, 0, null, 0, "new connection reset");
                continue;
            }

            StartConnection(accepted);
        }
    }

    private void StartConnection(Socket accepted)
    {
        var connection = new ProxyConnection(this, Interlocked.Increment(ref _nextConnectionId), accepted);
        Interlocked.Increment(ref _activeConnections);
        _connections[connection] = 0;
        connection.Start();

        // Removed only once its task has finished, so DisposeAsync awaits every connection to its very end.
        connection.Completion.ContinueWith(
            static (finished, state) =>
            {
                var (proxy, ended) = ((FaultProxy, ProxyConnection))state!;
                proxy._connections.TryRemove(ended, out _);
            },
            (this, connection),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
