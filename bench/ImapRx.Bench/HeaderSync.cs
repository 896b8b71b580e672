using System.Diagnostics;
using System.Reactive.Linq;
using ImapRx.Fetching;
using ImapRx.Internal;
using ImapRx.Model;
using MailKit;

namespace ImapRx.Bench;

/// <summary>S1: UID, flags, envelope, size, internal date and body structure of every message in the folder.</summary>
public static class HeaderSync
{
    public static async Task<(long Items, long Bytes, string? Detail)> RunAsync(string contender, Child.Settings settings)
    {
        var batch = settings.Int("batch", 1000);
        switch (contender)
        {
            case "imaprx":
            case "imaprx-mailkit":
            case "imaprx-pool2":
            case "imaprx-pool4":
            case "imaprx-native2":
            case "imaprx-native3":
            {
                // imaprx: the native FETCH reader (one connection); imaprx-mailkit: the same call through MailKit's
                // FetchAsync (today's path, and what a rejected batch falls back to); poolN: MailKit on N connections;
                // nativeN: the native reader on N bulk sessions.
                var native = contender == "imaprx" || contender.StartsWith("imaprx-native", StringComparison.Ordinal);
                var parallel = contender.StartsWith("imaprx-pool", StringComparison.Ordinal) || contender.StartsWith("imaprx-native", StringComparison.Ordinal) ? contender[^1] - '0' : 1;
                await using var client = Child.ImapRx(settings, parallel + 1);
                long items = 0;
                var options = new FetchOptions
                {
                    BatchSize = batch,
                    MaxParallelism = parallel,
                    Limit = settings.Int("limit", int.MaxValue),
                    UseNativeReader = native,
                };
                await client.MessageBatches(settings.Folder, options).ForEachAsync(b => items += b.Count);
                return (items, 0, $"parallel={parallel}" + (native ? ";native" : string.Empty));
            }

            case "imaprx-pull":
            case "imaprx-mailkit-pull":
            {
                // await foreach over the paced pull form (EnumerateMessagesAsync): the same fetch as imaprx /
                // imaprx-mailkit, but each batch is fetched only once the consumer has taken the last one.
                await using var client = Child.ImapRx(settings, 2);
                long items = 0;
                var options = new FetchOptions
                {
                    BatchSize = batch,
                    Limit = settings.Int("limit", int.MaxValue),
                    UseNativeReader = contender == "imaprx-pull",
                };
                await foreach (var _ in client.EnumerateMessagesAsync(settings.Folder, options))
                {
                    items++;
                }

                return (items, 0, "pull" + (contender == "imaprx-pull" ? ";native" : string.Empty));
            }

            case "mailkit-sync":
            {
                // MailKit's synchronous Fetch: no async state machine per token; shows how much of FetchAsync is that.
                using var client = await Child.MailKitAsync(settings);
                var folder = await client.GetFolderAsync(settings.Folder);
                folder.Open(FolderAccess.ReadOnly);
                var last = Math.Min(folder.UidNext!.Value.Id - 1, (uint)settings.Int("limit", int.MaxValue));
                var request = new FetchRequest(Child.S1Items);
                long items = 0;
                for (uint lo = 1; lo <= last; lo += (uint)batch)
                {
                    items += folder.Fetch(new UniqueIdRange(new UniqueId(lo), new UniqueId(Math.Min(last, lo + (uint)batch - 1))), request).Count;
                }

                client.Disconnect(true);
                return (items, 0, null);
            }

            case "mailkit":
            case "mailkit+map":
            {
                // The straightforward efficient way: one client, FetchAsync over UID ranges of one batch each.
                using var client = await Child.MailKitAsync(settings);
                var folder = await client.GetFolderAsync(settings.Folder);
                await folder.OpenAsync(FolderAccess.ReadOnly);
                var last = Math.Min(folder.UidNext!.Value.Id - 1, (uint)settings.Int("limit", int.MaxValue));
                var request = new FetchRequest(Child.S1Items);
                long items = 0;
                var mapping = new Stopwatch();
                var waiting = new Stopwatch();
                for (uint lo = 1; lo <= last; lo += (uint)batch)
                {
                    waiting.Start();
                    var summaries = await folder.FetchAsync(new UniqueIdRange(new UniqueId(lo), new UniqueId(Math.Min(last, lo + (uint)batch - 1))), request);
                    waiting.Stop();
                    items += summaries.Count;
                    if (contender == "mailkit")
                    {
                        continue;
                    }

                    // The same fetch, plus ImapRx's own mapping to its model: where our share of the time goes.
                    mapping.Start();
                    foreach (var summary in summaries)
                    {
                        _ = MessageMapper.FromSummary(summary, folder.FullName, MailFolderType.Inbox, folder.UidValidity);
                    }

                    mapping.Stop();
                }

                await client.DisconnectAsync(true);
                return (items, 0, $"fetch+parse={waiting.Elapsed.TotalMilliseconds:0}ms;map={mapping.Elapsed.TotalMilliseconds:0}ms");
            }

            case "socket-pool2":
            case "socket-pool4":
            {
                // The floor with the same parallel split as imaprx-poolN: N raw connections, range k on connection
                // k mod N. Shows what the server (and the cores) can give to parallel fetches at all.
                var connections = contender[^1] - '0';
                var last = Math.Min(settings.Int("count"), settings.Int("limit", int.MaxValue));
                var totals = await Task.WhenAll(Enumerable.Range(0, connections).Select(async k =>
                {
                    await using var raw = await RawImap.ConnectAsync(settings.Host, settings.Port, settings.User, settings.Password);
                    await raw.CommandAsync($"EXAMINE \"{settings.Folder}\" (CONDSTORE)");
                    long bytes = 0;
                    for (var lo = 1 + (k * batch); lo <= last; lo += connections * batch)
                    {
                        bytes += await raw.CommandAsync($"UID FETCH {lo}:{Math.Min(last, lo + batch - 1)} {Child.S1Wire}");
                    }

                    return bytes;
                }));
                return (last, totals.Sum(), $"parallel={connections}");
            }

            case "socket":
            case "socket-enable":
            case "socket-order":
            case "socket-second":
            {
                // Experiments on the server's side of the native path: socket-enable sends ENABLE CONDSTORE and a plain
                // EXAMINE, as the native reader's session does; socket-order asks for the items in its order;
                // socket-second keeps a second session open on the folder, as the native path's planning connection.
                await using var raw = await RawImap.ConnectAsync(settings.Host, settings.Port, settings.User, settings.Password);
                await using var second = contender == "socket-second" ? await RawImap.ConnectAsync(settings.Host, settings.Port, settings.User, settings.Password) : null;
                if (second is not null)
                {
                    await second.CommandAsync($"EXAMINE \"{settings.Folder}\" (CONDSTORE)");
                }

                if (contender == "socket-enable")
                {
                    await raw.CommandAsync("ENABLE CONDSTORE");
                    await raw.CommandAsync($"EXAMINE \"{settings.Folder}\"");
                }
                else
                {
                    await raw.CommandAsync($"EXAMINE \"{settings.Folder}\" (CONDSTORE)");
                }

                var items = contender == "socket-order" ? "(UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE MODSEQ)" : Child.S1Wire;
                var last = Math.Min(settings.Int("count"), settings.Int("limit", int.MaxValue));
                long bytes = 0;
                for (var lo = 1; lo <= last; lo += batch)
                {
                    bytes += await raw.CommandAsync($"UID FETCH {lo}:{Math.Min(last, lo + batch - 1)} {items}");
                }

                return (last, bytes, null);
            }

            default:
                throw new ArgumentException("Unknown contender " + contender);
        }
    }
}
