using System.Buffers;
using System.IO;
using System.Net.Sockets;

namespace ImapRx.Sandbox.Faults;

/// <summary>
/// One client connection and its upstream connection, joined by two async pumps (no thread of its own). A pump
/// reads at most one buffer, then waits out a stall and a delay, checks the cut rules and forwards; so while a
/// pump waits, TCP flow control holds the sender back and nothing is buffered beyond that one chunk.
/// </summary>
internal sealed class ProxyConnection
{
    // Long enough for any loopback send queue to drain; a peer that stopped reading must not block a cut.
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(1);

    private readonly FaultProxy _proxy;
    private readonly Socket _client;
    private readonly Socket _server;
    private readonly CancellationTokenSource _cancel;
    private readonly SemaphoreSlim _toClient = new(1, 1);
    private readonly SemaphoreSlim _toServer = new(1, 1);
    private long _forwardedToServer;
    private long _forwardedToClient;
    private int _aborted;
    private string _abortReason = "";
    private volatile bool _open;
    private volatile bool _cutting;

    internal ProxyConnection(FaultProxy proxy, int id, Socket client)
    {
        _proxy = proxy;
        Id = id;
        _client = client;
        _server = new Socket(proxy.Target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(proxy.Stopping);
    }

    internal int Id { get; }

    internal bool IsOpen => _open && Volatile.Read(ref _aborted) == 0;

    /// <summary>Gets the task that runs the connection; set by <see cref="Start"/>, never faults for network errors.</summary>
    internal Task Completion { get; private set; } = Task.CompletedTask;

    internal void Start() => Completion = RunAsync();

    private async Task RunAsync()
    {
        var token = _cancel.Token;
        try
        {
            try
            {
                await _server.ConnectAsync(_proxy.Target, token).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsConnectionError(ex))
            {
                if (Abort("upstream connect failed"))
                {
                    _proxy.Log.Publish(FaultEventKind.UpstreamConnectFailed, Id, null, 0, ex.Message);
                }

                return;
            }

            _client.NoDelay = true;
            _server.NoDelay = true;
            _open = true;
            _proxy.Log.Publish(FaultEventKind.ConnectionOpened, Id, null, 0, $"to {_proxy.Target}");
            if (Volatile.Read(ref _aborted) != 0)
            {
                return;
            }

            await Task.WhenAll(
                PumpAsync(_client, _server, Direction.ClientToServer, token),
                PumpAsync(_server, _client, Direction.ServerToClient, token)).ConfigureAwait(false);
        }
        finally
        {
            _client.Dispose();
            _server.Dispose();
            _proxy.OnConnectionEnding();
            if (_open)
            {
                var how = Volatile.Read(ref _aborted) != 0 ? $"aborted: {_abortReason}" : "closed";
                _proxy.Log.Publish(FaultEventKind.ConnectionClosed, Id, null, 0, how);
            }

            _cancel.Dispose();
        }
    }

    /// <summary>
    /// Closes both sockets abruptly (RST) and stops both pumps. Only the first call does anything and returns true;
    /// it runs <paramref name="onAborting"/> first, so an event it publishes comes before the connection's close.
    /// </summary>
    internal bool Abort(string reason, Action? onAborting = null)
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0)
        {
            return false;
        }

        _abortReason = reason;
        onAborting?.Invoke();
        Reset(_client);
        Reset(_server);
        try
        {
            _cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The connection already finished.
        }

        return true;
    }

    internal long Forwarded(Direction direction) =>
        Interlocked.Read(ref direction == Direction.ClientToServer ? ref _forwardedToServer : ref _forwardedToClient);

    /// <summary>Writes bytes to one side between two forwarded chunks, never inside one. False if the connection is gone.</summary>
    internal async Task<bool> InjectAsync(Direction direction, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (!IsOpen)
        {
            return false;
        }

        var (destination, writeLock) = Destination(direction);
        try
        {
            await WriteAsync(destination, writeLock, bytes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsConnectionError(ex))
        {
            Abort("write failed");
            return false;
        }

        _proxy.Log.Publish(FaultEventKind.GarbageInjected, Id, direction, Forwarded(direction), $"{bytes.Length} bytes");
        return true;
    }

    private static bool IsConnectionError(Exception ex) =>
        ex is SocketException or IOException or ObjectDisposedException or OperationCanceledException;

    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Not connected yet or already closed: disposing is all that is left to do.
        }

        socket.Dispose();
    }

    private static async Task WriteAsync(Socket destination, SemaphoreSlim writeLock, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        await writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (!bytes.IsEmpty)
            {
                var sent = await destination.SendAsync(bytes, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                bytes = bytes[sent..];
            }
        }
        finally
        {
            writeLock.Release();
        }
    }

    private (Socket Socket, SemaphoreSlim WriteLock) Destination(Direction direction) =>
        direction == Direction.ServerToClient ? (_client, _toClient) : (_server, _toServer);

    private async Task PumpAsync(Socket source, Socket destination, Direction direction, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(_proxy.BufferSize);
        var progress = new Dictionary<FaultRule, RuleProgress>();
        var writeLock = Destination(direction).WriteLock;
        try
        {
            while (true)
            {
                var read = await source.ReceiveAsync(buffer.AsMemory(0, _proxy.BufferSize), SocketFlags.None, cancellationToken).ConfigureAwait(false);
                _proxy.CountReceived(direction, read);

                // The end of the stream is held by a stall too: a stalled side must not even see the other close.
                await WaitWhileStalledAsync(direction, read == 0, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    // Pass the half-close on, so a side that closes first is seen to close by the other.
                    destination.Shutdown(SocketShutdown.Send);
                    return;
                }

                await DelayAsync(direction, cancellationToken).ConfigureAwait(false);

                var chunk = Rewrite(direction, buffer.AsMemory(0, read));
                var (forward, rule) = CheckRules(progress, direction, chunk.Span);
                if (_cutting)
                {
                    return;
                }

                if (rule?.HoldFor is { } hold)
                {
                    // A slow answer, not a cut: the whole chunk waits, then flows as usual.
                    var id = Id;
                    _proxy.Log.Publish(FaultEventKind.Held, id, direction, Forwarded(direction), rule.Description);
                    rule.OnFired(id);
                    await Task.Delay(hold, cancellationToken).ConfigureAwait(false);
                    forward = chunk.Length;
                    rule = null;
                }

                if (forward > 0)
                {
                    await WriteAsync(destination, writeLock, chunk[..forward], cancellationToken).ConfigureAwait(false);
                    Interlocked.Add(ref direction == Direction.ClientToServer ? ref _forwardedToServer : ref _forwardedToClient, forward);
                }

                if (rule is not null)
                {
                    await CutAsync(rule, direction, destination, cancellationToken).ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (Exception ex) when (IsConnectionError(ex))
        {
            // Either side reset or vanished, or the proxy is stopping: the whole connection goes.
            Abort(ex is OperationCanceledException ? "stopped" : $"{direction} failed: {ex.Message}");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private ReadOnlyMemory<byte> Rewrite(Direction direction, ReadOnlyMemory<byte> chunk)
    {
        foreach (var rewrite in _proxy.ArmedRewrites)
        {
            if (rewrite.Direction == direction && rewrite.Apply(chunk.Span) is { } rewritten)
            {
                _proxy.Log.Publish(FaultEventKind.Rewritten, Id, direction, Forwarded(direction), rewrite.Description);
                chunk = rewritten;
            }
        }

        return chunk;
    }

    private async Task WaitWhileStalledAsync(Direction direction, bool endOfStream, CancellationToken cancellationToken)
    {
        var gate = _proxy.GateFor(direction);
        while (gate.WhileStalled is { } stalled)
        {
            var what = endOfStream ? "the end of the stream" : "a chunk";
            _proxy.Log.Publish(FaultEventKind.StallHeld, Id, direction, Forwarded(direction), $"holding {what} until Resume()");
            await stalled.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task DelayAsync(Direction direction, CancellationToken cancellationToken)
    {
        var delay = _proxy.DelayFor(direction);
        if (delay > TimeSpan.Zero)
        {
            _proxy.Log.Publish(FaultEventKind.Delayed, Id, direction, Forwarded(direction), $"{delay.TotalMilliseconds} ms");
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    private (int Forward, FaultRule? Rule) CheckRules(Dictionary<FaultRule, RuleProgress> progress, Direction direction, ReadOnlySpan<byte> chunk)
    {
        var rules = _proxy.ArmedRules;
        List<(int CutAt, FaultRule Rule)>? triggered = null;
        foreach (var rule in rules)
        {
            if (rule.Direction != direction)
            {
                continue;
            }

            if (!progress.TryGetValue(rule, out var state))
            {
                progress[rule] = state = new RuleProgress(rule);
            }

            var cutAt = state.Advance(chunk);
            if (cutAt >= 0)
            {
                (triggered ??= []).Add((cutAt, rule));
            }
        }

        if (progress.Count > rules.Length)
        {
            foreach (var stale in progress.Keys.Where(r => !r.IsArmed).ToList())
            {
                progress.Remove(stale);
            }
        }

        // The earliest trigger wins; a Once rule another connection already fired is passed over.
        foreach (var (cutAt, rule) in triggered?.OrderBy(t => t.CutAt) ?? Enumerable.Empty<(int, FaultRule)>())
        {
            if (rule.TryClaim())
            {
                return (cutAt, rule);
            }
        }

        return (chunk.Length, null);
    }

    private async Task CutAsync(FaultRule rule, Direction direction, Socket destination, CancellationToken cancellationToken)
    {
        _cutting = true;
        await SendQueue.WaitUntilSentAsync(destination, DrainTimeout, cancellationToken).ConfigureAwait(false);
        var forwarded = Forwarded(direction);

        // Recorded before the reset, so whoever sees the connection die also sees the rule as fired.
        Abort(rule.Description, () =>
        {
            _proxy.Log.Publish(FaultEventKind.Cut, Id, direction, forwarded, rule.Description);
            rule.OnFired(Id);
        });
    }
}
