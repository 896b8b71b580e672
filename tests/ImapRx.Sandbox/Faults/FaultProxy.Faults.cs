using System.Net.Sockets;
using System.Text;

namespace ImapRx.Sandbox.Faults;

/// <summary>The faults and the event record.</summary>
public sealed partial class FaultProxy
{
    private readonly object _rulesLock = new();
    private readonly StallGate _clientToServerGate = new();
    private readonly StallGate _serverToClientGate = new();
    private FaultRule[] _rules = [];
    private long _clientToServerDelayTicks;
    private long _serverToClientDelayTicks;
    private volatile bool _resetNewConnections;
    private bool _refusing;
    private bool _pausedInPlace;

    /// <summary>
    /// Gets what happened, as it happens: connections opened and closed, faults fired. Hot: a subscriber sees
    /// only later events (<see cref="GetEvents"/> has the earlier ones). Completes when the proxy is disposed.
    /// </summary>
    public IObservable<FaultEvent> Events => Log;

    /// <summary>Gets whether <see cref="RefuseConnections"/> is on.</summary>
    public bool IsRefusingConnections
    {
        get
        {
            lock (_listenerLock)
            {
                return _refusing;
            }
        }
    }

    internal FaultEventLog Log { get; } = new();

    internal FaultRule[] ArmedRules => Volatile.Read(ref _rules);

    /// <summary>Gets the most recent events (up to 10,000), oldest first.</summary>
    public IReadOnlyList<FaultEvent> GetEvents() => Log.Snapshot();

    /// <summary>Gets how many events of a kind ever happened (exact, not limited like <see cref="GetEvents"/>).</summary>
    public long CountEvents(FaultEventKind kind) => Log.Count(kind);

    /// <summary>Waits for an event matching <paramref name="predicate"/>; returns at once if a recent one matches.</summary>
    public Task<FaultEvent> WaitForEventAsync(Func<FaultEvent, bool> predicate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return Log.WaitAsync(predicate, cancellationToken);
    }

    /// <summary>Waits for an event of a kind; returns at once if a recent one exists.</summary>
    public Task<FaultEvent> WaitForEventAsync(FaultEventKind kind, CancellationToken cancellationToken = default) =>
        Log.WaitAsync(e => e.Kind == kind, cancellationToken);

    /// <summary>Resets every live connection now (RST to both sides). New connections are not affected.</summary>
    /// <returns>How many connections were cut.</returns>
    public int CutAll()
    {
        ThrowIfDisposed();
        var cut = 0;
        foreach (var connection in _connections.Keys)
        {
            var id = connection.Id;
            if (connection.Abort("CutAll", () => Log.Publish(FaultEventKind.Cut, id, null, 0, "CutAll")))
            {
                cut++;
            }
        }

        return cut;
    }

    /// <summary>
    /// Cuts a connection (RST to both sides) once it has forwarded exactly <paramref name="byteCount"/> bytes in
    /// <paramref name="direction"/>: the receiving side gets those bytes and nothing after them. Counted from
    /// the first byte of a new connection, or from the next chunk of a connection already open. Injected
    /// bytes do not count.
    /// </summary>
    public FaultRule CutAfterBytes(Direction direction, long byteCount, FaultScope scope = FaultScope.Once)
    {
        RequireSingle(direction, nameof(direction));
        ArgumentOutOfRangeException.ThrowIfNegative(byteCount);
        RequireScope(scope, nameof(scope));
        return Arm(new FaultRule(direction, scope, byteCount, null, Disarm));
    }

    /// <summary>
    /// Cuts a connection (RST to both sides) right after <paramref name="pattern"/> has passed in
    /// <paramref name="direction"/>, even when it arrives split across reads: the receiving side gets every
    /// byte up to and including the pattern's last byte, nothing after it.
    /// </summary>
    public FaultRule CutOnPattern(Direction direction, ReadOnlySpan<byte> pattern, FaultScope scope = FaultScope.Once)
    {
        RequireSingle(direction, nameof(direction));
        if (pattern.IsEmpty)
        {
            throw new ArgumentException("The pattern must not be empty.", nameof(pattern));
        }

        RequireScope(scope, nameof(scope));
        return Arm(new FaultRule(direction, scope, null, pattern.ToArray(), Disarm));
    }

    /// <summary>Cuts on the UTF-8 bytes of <paramref name="pattern"/>, e.g. "* 5 FETCH" or "IDLE"; see <see cref="CutOnPattern(Direction, ReadOnlySpan{byte}, FaultScope)"/>.</summary>
    public FaultRule CutOnPattern(Direction direction, string pattern, FaultScope scope = FaultScope.Once)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return CutOnPattern(direction, Encoding.UTF8.GetBytes(pattern), scope);
    }

    /// <summary>
    /// Stops forwarding in <paramref name="direction"/> on live and new connections until <see cref="Resume"/>.
    /// Connections stay open and senders' writes are accepted by TCP until its buffers fill; each pump holds
    /// at most one chunk, and nothing is dropped. A <see cref="FaultEventKind.StallHeld"/> event shows a
    /// connection actually holding data.
    /// </summary>
    public void Stall(Direction direction = Direction.Both)
    {
        RequireAny(direction, nameof(direction));
        ThrowIfDisposed();
        ForEachGate(direction, gate => gate.Stall());
        Log.Publish(FaultEventKind.StallStarted, 0, direction, 0, "Stall()");
    }

    /// <summary>Forwards again in <paramref name="direction"/>, held chunks first, in order.</summary>
    public void Resume(Direction direction = Direction.Both)
    {
        RequireAny(direction, nameof(direction));
        ForEachGate(direction, gate => gate.Resume());
        Log.Publish(FaultEventKind.Resumed, 0, direction, 0, "Resume()");
    }

    /// <summary>
    /// Holds every chunk for <paramref name="delay"/> before forwarding it, on live and new connections, in
    /// <paramref name="direction"/>; <see cref="TimeSpan.Zero"/> turns it off. A connection's chunks stay in order.
    /// </summary>
    public void Delay(TimeSpan delay, Direction direction = Direction.Both)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        RequireAny(direction, nameof(direction));
        ThrowIfDisposed();
        if (direction.HasFlag(Direction.ClientToServer))
        {
            Interlocked.Exchange(ref _clientToServerDelayTicks, delay.Ticks);
        }

        if (direction.HasFlag(Direction.ServerToClient))
        {
            Interlocked.Exchange(ref _serverToClientDelayTicks, delay.Ticks);
        }
    }

    /// <summary>
    /// Writes <paramref name="bytes"/> now to the receiving side of <paramref name="direction"/> (the client for
    /// <see cref="Direction.ServerToClient"/>) of every open connection, between two forwarded chunks. Not held by a stall.
    /// </summary>
    /// <returns>How many connections got the bytes.</returns>
    public async Task<int> InjectGarbageAsync(Direction direction, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        RequireSingle(direction, nameof(direction));
        if (bytes.IsEmpty)
        {
            throw new ArgumentException("Nothing to inject.", nameof(bytes));
        }

        ThrowIfDisposed();
        var copy = bytes.ToArray();
        var injected = await Task.WhenAll(_connections.Keys.Select(c => c.InjectAsync(direction, copy, cancellationToken))).ConfigureAwait(false);
        return injected.Count(done => done);
    }

    /// <summary>Injects the UTF-8 bytes of <paramref name="text"/>; see <see cref="InjectGarbageAsync(Direction, ReadOnlyMemory{byte}, CancellationToken)"/>.</summary>
    public Task<int> InjectGarbageAsync(Direction direction, string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        return InjectGarbageAsync(direction, Encoding.UTF8.GetBytes(text), cancellationToken);
    }

    /// <summary>
    /// While on, the port truly refuses: the listener stops listening (a connect fails with
    /// <see cref="SocketError.ConnectionRefused"/>) and connections waiting to be accepted are reset. Turning
    /// it off listens again on the same <see cref="Port"/>. Live connections are not affected.
    /// </summary>
    public void RefuseConnections(bool refuse)
    {
        ThrowIfDisposed();
        lock (_listenerLock)
        {
            if (refuse == _refusing)
            {
                return;
            }

            if (refuse)
            {
                // Replaced before the pause, so the accept loop that fails because of it finds a signal to wait on.
                Volatile.Write(ref _listening, NewListeningSignal(completed: false));
                PauseListener();
            }
            else
            {
                ResumeListener();
                _listening.TrySetResult();
            }

            _refusing = refuse;
        }

        Log.Publish(refuse ? FaultEventKind.RefusingStarted : FaultEventKind.RefusingStopped, 0, null, 0, $"RefuseConnections({refuse})");
    }

    /// <summary>While on, new connections are accepted and reset at once (RST) without reaching the server.</summary>
    public void ResetNewConnections(bool reset)
    {
        ThrowIfDisposed();
        _resetNewConnections = reset;
    }

    /// <summary>Disarms every rule and rewrite, resumes, removes delays and accepts connections normally again.</summary>
    public void ClearFaults()
    {
        foreach (var rule in ArmedRules)
        {
            rule.Disarm();
        }

        foreach (var rewrite in ArmedRewrites)
        {
            rewrite.Disarm();
        }

        Resume();
        Delay(TimeSpan.Zero);
        ResetNewConnections(false);
        RefuseConnections(false);
    }

    internal StallGate GateFor(Direction direction) =>
        direction == Direction.ClientToServer ? _clientToServerGate : _serverToClientGate;

    internal TimeSpan DelayFor(Direction direction) => TimeSpan.FromTicks(Interlocked.Read(
        ref direction == Direction.ClientToServer ? ref _clientToServerDelayTicks : ref _serverToClientDelayTicks));

    private static void RequireSingle(Direction direction, string parameterName)
    {
        if (direction is not (Direction.ClientToServer or Direction.ServerToClient))
        {
            throw new ArgumentException($"Must be ClientToServer or ServerToClient, not {direction}.", parameterName);
        }
    }

    private static void RequireAny(Direction direction, string parameterName)
    {
        if (direction is not (Direction.ClientToServer or Direction.ServerToClient or Direction.Both))
        {
            throw new ArgumentException($"Must be ClientToServer, ServerToClient or Both, not {direction}.", parameterName);
        }
    }

    private static void RequireScope(FaultScope scope, string parameterName)
    {
        if (!Enum.IsDefined(scope))
        {
            throw new ArgumentException($"Unknown scope {scope}.", parameterName);
        }
    }

    private void ForEachGate(Direction direction, Action<StallGate> action)
    {
        if (direction.HasFlag(Direction.ClientToServer))
        {
            action(_clientToServerGate);
        }

        if (direction.HasFlag(Direction.ServerToClient))
        {
            action(_serverToClientGate);
        }
    }

    private FaultRule Arm(FaultRule rule)
    {
        ThrowIfDisposed();
        lock (_rulesLock)
        {
            _rules = [.. _rules, rule];
        }

        return rule;
    }

    private void Disarm(FaultRule rule)
    {
        lock (_rulesLock)
        {
            _rules = [.. _rules.Where(r => r != rule)];
        }
    }

    // Linux: shutdown(SHUT_RD) on a listener stops it listening but keeps its port, and listen() restarts it
    // (HAProxy pauses listeners this way). Elsewhere the socket is closed and bound again later.
    private void PauseListener()
    {
        try
        {
            _listener.Shutdown(SocketShutdown.Receive);
            _pausedInPlace = true;
        }
        catch (SocketException)
        {
            _listener.Dispose();
            _pausedInPlace = false;
        }
    }

    private void ResumeListener()
    {
        if (_pausedInPlace)
        {
            _listener.Listen(Backlog);
        }
        else
        {
            _listener = Listen(Port, reuseAddress: true);
        }
    }
}
