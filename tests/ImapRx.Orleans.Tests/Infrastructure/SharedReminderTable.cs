using System.Collections.Concurrent;
using Orleans;
using Orleans.Runtime;

namespace ImapRx.Orleans.Tests.Infrastructure;

/// <summary>
/// A reminder table outside every silo (one instance for the whole in-process cluster), standing in for the
/// database a production cluster would use: a killed silo takes none of it along.
/// </summary>
internal sealed class SharedReminderTable : IReminderTable
{
    private readonly ConcurrentDictionary<(GrainId, string), ReminderEntry> _rows = new();

    public Task<ReminderTableData> ReadRows(GrainId grainId)
        => Task.FromResult(new ReminderTableData(_rows.Values.Where(r => r.GrainId.Equals(grainId)).Select(Copy).ToList()));

    public Task<ReminderTableData> ReadRows(uint begin, uint end)
        => Task.FromResult(new ReminderTableData(_rows.Values.Where(r => InRange(r.GrainId.GetUniformHashCode(), begin, end)).Select(Copy).ToList()));

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName)
        => Task.FromResult(_rows.TryGetValue((grainId, reminderName), out var row) ? Copy(row) : null);

    public Task<string?> UpsertRow(ReminderEntry entry)
    {
        var stored = Copy(entry);
        stored.ETag = Guid.NewGuid().ToString("N");
        _rows[(entry.GrainId, entry.ReminderName)] = stored;
        return Task.FromResult<string?>(stored.ETag);
    }

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag)
    {
        var key = (grainId, reminderName);
        return Task.FromResult(_rows.TryGetValue(key, out var row) && row.ETag == eTag && _rows.TryRemove(new KeyValuePair<(GrainId, string), ReminderEntry>(key, row)));
    }

    public Task TestOnlyClearTable()
    {
        _rows.Clear();
        return Task.CompletedTask;
    }

    // (begin, end], wrapping around when begin >= end, as IReminderTable defines it.
    private static bool InRange(uint hash, uint begin, uint end) => begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;

    private static ReminderEntry Copy(ReminderEntry e) => new() { GrainId = e.GrainId, ReminderName = e.ReminderName, StartAt = e.StartAt, Period = e.Period, ETag = e.ETag };
}
