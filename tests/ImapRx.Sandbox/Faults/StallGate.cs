namespace ImapRx.Sandbox.Faults;

/// <summary>Holds one direction's pumps while stalled; releases them all on resume.</summary>
internal sealed class StallGate
{
    private readonly object _lock = new();
    private TaskCompletionSource? _stalled;

    /// <summary>Gets a task that completes on resume, or null when not stalled.</summary>
    internal Task? WhileStalled => Volatile.Read(ref _stalled)?.Task;

    internal void Stall()
    {
        lock (_lock)
        {
            _stalled ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    internal void Resume()
    {
        TaskCompletionSource? stalled;
        lock (_lock)
        {
            stalled = _stalled;
            _stalled = null;
        }

        stalled?.TrySetResult();
    }
}
