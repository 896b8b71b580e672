using System.Collections.Concurrent;
using Orleans;
using Orleans.Runtime;

namespace ImapRx.Samples.Cluster;

/// <summary>
/// A reminder table outside every silo of the process, so a stopped silo takes none of its accounts' reminders
/// along: the surviving silo takes over their range of the ring and wakes them. Orleans' in-memory reminder service
/// lives inside one silo and dies with it; in production use a database (docs/scale.md).
/// </summary>
public sealed class LocalReminderTable : IReminderTable
{
    private readonly ConcurrentDictionary<(GrainId Grain, string Name), ReminderEntry> _rows = new();

    /// <summary>How many reminders are registered.</summary>
    public int Count => _rows.Count;

    /// <inheritdoc />
    public Task<ReminderTableData> ReadRows(GrainId grainId)
        => Task.FromResult(new ReminderTableData(_rows.Values.Where(r => r.GrainId.Equals(grainId)).Select(Copy).ToList()));

    /// <inheritdoc />
    public Task<ReminderTableData> ReadRows(uint begin, uint end)
        => Task.FromResult(new ReminderTableData(_rows.Values.Where(r => InRange(r.GrainId.GetUniformHashCode(), begin, end)).Select(Copy).ToList()));

    /// <inheritdoc />
    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName)
        => Task.FromResult(_rows.TryGetValue((grainId, reminderName), out var row) ? Copy(row) : null);

    /// <inheritdoc />
    public Task<string?> UpsertRow(ReminderEntry entry)
    {
        var stored = Copy(entry);
        stored.ETag = Guid.NewGuid().ToString("N");
        _rows[(entry.GrainId, entry.ReminderName)] = stored;
        return Task.FromResult<string?>(stored.ETag);
    }

    /// <inheritdoc />
    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag)
    {
        var key = (grainId, reminderName);
        return Task.FromResult(_rows.TryGetValue(key, out var row) && row.ETag == eTag && _rows.TryRemove(new KeyValuePair<(GrainId, string), ReminderEntry>(key, row)));
    }

    /// <inheritdoc />
    public Task TestOnlyClearTable()
    {
        _rows.Clear();
        return Task.CompletedTask;
    }

    // (begin, end], wrapping around when begin >= end, as IReminderTable defines a range of the ring.
    private static bool InRange(uint hash, uint begin, uint end) => begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;

    private static ReminderEntry Copy(ReminderEntry e) => new() { GrainId = e.GrainId, ReminderName = e.ReminderName, StartAt = e.StartAt, Period = e.Period, ETag = e.ETag };
}
