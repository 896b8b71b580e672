using System.Diagnostics;
using System.Globalization;
using System.Reactive.Linq;
using ImapRx.Model;
using ImapRx.Sync;
using MailKit;
using MailKit.Search;

namespace ImapRx.Bench;

/// <summary>
/// S5: the changes since a checkpoint (1% of the messages' flags changed, 100 arrived). "prepare" brings the
/// checkpoint up to date untimed; "run" is the measured incremental pass.
/// </summary>
public static class IncrementalSync
{
    public static async Task<(long Items, long Bytes, string? Detail)> RunAsync(string contender, Child.Settings settings)
    {
        var state = settings.Text("state");
        Directory.CreateDirectory(state);
        switch (contender)
        {
            case "imaprx":
            {
                await using var client = Child.ImapRx(settings, 2);
                await client.Sync("Ten", new InMemorySyncStateStore()).ToList(); // warm: connection and JIT, untimed
                var clock = Stopwatch.StartNew();
                var events = await client.Sync(settings.Folder, new FileSyncStateStore(state)).ToList();
                clock.Stop();
                var flags = events.OfType<FlagsChanged>().Count();
                var arrived = events.OfType<MessagesArrived>().Sum(a => a.Uids.Count);
                return (flags + arrived, 0, string.Create(CultureInfo.InvariantCulture, $"ms={clock.Elapsed.TotalMilliseconds:0.#};flags={flags};arrived={arrived}"));
            }

            case "mailkit":
            {
                // Hand-written CONDSTORE sync: one UID SEARCH for arrivals and expunges, one FETCH CHANGEDSINCE.
                var file = Path.Combine(state, "mailkit.txt");
                var known = File.Exists(file) ? File.ReadAllText(file).Split(' ') : null;
                using var client = await Child.MailKitAsync(settings);
                var warm = await client.GetFolderAsync("Ten"); // warm: JIT of the same calls, untimed
                await warm.OpenAsync(FolderAccess.ReadOnly);
                await warm.SearchAsync(SearchQuery.All);
                await warm.FetchAsync(0, -1, new FetchRequest(MessageSummaryItems.UniqueId | MessageSummaryItems.Flags | MessageSummaryItems.ModSeq) { ChangedSince = Math.Max(1, warm.HighestModSeq - 1) });
                var clock = Stopwatch.StartNew();
                var folder = await client.GetFolderAsync(settings.Folder);
                await folder.OpenAsync(FolderAccess.ReadOnly);
                var uids = await folder.SearchAsync(SearchQuery.All);
                var flags = 0;
                var arrived = uids.Count;
                if (known is not null)
                {
                    var modseq = ulong.Parse(known[0], CultureInfo.InvariantCulture);
                    var lastUid = uint.Parse(known[1], CultureInfo.InvariantCulture);
                    var changed = await folder.FetchAsync(0, -1, new FetchRequest(MessageSummaryItems.UniqueId | MessageSummaryItems.Flags | MessageSummaryItems.ModSeq) { ChangedSince = modseq });
                    flags = changed.Count(s => s.UniqueId.Id <= lastUid);
                    arrived = uids.Count(u => u.Id > lastUid);
                }

                clock.Stop();
                File.WriteAllText(file, $"{folder.HighestModSeq} {uids.Max().Id}");
                await client.DisconnectAsync(true);
                return (flags + arrived, 0, string.Create(CultureInfo.InvariantCulture, $"ms={clock.Elapsed.TotalMilliseconds:0.#};flags={flags};arrived={arrived}"));
            }

            default:
                throw new ArgumentException("Unknown contender " + contender);
        }
    }
}
