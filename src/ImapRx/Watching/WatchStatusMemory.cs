using System.Collections.Generic;
using ImapRx.Model;

namespace ImapRx.Watching;

/// <summary>
/// The current status of a shared watch, per folder, so that a subscriber who joins late learns it instead of
/// waiting for the next change (which may be a whole idle timeout away): the <see cref="WatchConnected"/> of the
/// live connection, if any, then the latest <see cref="WatchIdling"/>, <see cref="WatchReconnecting"/> or
/// <see cref="WatchResumed"/>. Message events are never remembered: a late subscriber gets only changes that
/// happen after it joined. Not thread-safe; <see cref="SharedObservable"/> calls it under its lock.
/// </summary>
internal sealed class WatchStatusMemory
{
    private readonly Dictionary<string, (MailboxEvent? Connected, MailboxEvent? State)> _byFolder = new(System.StringComparer.Ordinal);
    private readonly List<string> _order = new();

    internal void Observe(MailboxEvent value)
    {
        switch (value)
        {
            case WatchConnected:
                Set(value.Folder, (value, null));
                break;
            case WatchReconnecting:
                Set(value.Folder, (null, value));
                break;
            case WatchIdling or WatchResumed:
                Set(value.Folder, (Get(value.Folder).Connected, value));
                break;
        }
    }

    /// <summary>What a late subscriber receives first, in the order it happened for each folder.</summary>
    internal IReadOnlyList<MailboxEvent> Snapshot()
    {
        var result = new List<MailboxEvent>();
        foreach (var folder in _order)
        {
            var (connected, state) = _byFolder[folder];
            if (connected is not null)
            {
                result.Add(connected);
            }

            if (state is not null)
            {
                result.Add(state);
            }
        }

        return result;
    }

    private (MailboxEvent? Connected, MailboxEvent? State) Get(string folder)
        => _byFolder.TryGetValue(folder, out var status) ? status : (null, null);

    private void Set(string folder, (MailboxEvent? Connected, MailboxEvent? State) status)
    {
        if (!_byFolder.ContainsKey(folder))
        {
            _order.Add(folder);
        }

        _byFolder[folder] = status;
    }
}
