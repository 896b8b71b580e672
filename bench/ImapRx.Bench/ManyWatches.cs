using System.Diagnostics;
using System.Globalization;
using System.Reactive.Linq;
using ImapRx.Model;
using ImapRx.Watching;
using MailKit;
using MailKit.Net.Imap;
using MimeKit;

namespace ImapRx.Bench;

/// <summary>S4: N folders watched from one process; every watch must see its arrival. Memory and threads per watch.</summary>
public static class ManyWatches
{
    public static async Task<(long Items, long Bytes, string? Detail)> RunAsync(string contender, Child.Settings settings)
    {
        var count = settings.Int("count");
        var folders = Enumerable.Range(0, count).Select(Name).ToList();
        GC.Collect();
        var rssBefore = Measurement.CurrentRssMb();
        var threadsBefore = Measurement.Threads();
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>();
        var idling = 0;
        var cleanup = new List<Func<Task>>();
        using var stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        switch (contender)
        {
            case "imaprx":
            case "imaprx-notify":
            {
                var client = Child.ImapRx(settings, count + 10);
                var options = new WatchOptions { UseNotify = contender == "imaprx-notify" };
                var stream = contender == "imaprx-notify" ? client.Watch(folders, options) : folders.Select(f => client.Watch(f, options)).ToList().Merge();
                var subscription = stream.Subscribe(e =>
                {
                    if (e is WatchIdling)
                    {
                        Interlocked.Increment(ref idling);
                    }
                    else if (e is MessagesArrived)
                    {
                        seen[e.Folder] = true;
                    }
                });
                cleanup.Add(async () =>
                {
                    subscription.Dispose();
                    await client.DisposeAsync();
                });
                break;
            }

            case "mailkit":
            {
                // One ImapClient per folder, each in IdleAsync until told to stop: the plain MailKit way.
                var tasks = folders.Select(async f =>
                {
                    var client = await Child.MailKitAsync(settings);
                    var folder = await client.GetFolderAsync(f);
                    await folder.OpenAsync(FolderAccess.ReadOnly);
                    folder.CountChanged += (_, _) => seen[f] = true;
                    Interlocked.Increment(ref idling);
                    return (client, client.IdleAsync(stop.Token));
                }).ToList();
                var running = await Task.WhenAll(tasks);
                cleanup.Add(async () =>
                {
                    stop.Cancel();
                    foreach (var (client, idle) in running)
                    {
                        await idle.ContinueWith(_ => { });
                        client.Dispose();
                    }
                });
                break;
            }

            default:
                throw new ArgumentException("Unknown contender " + contender);
        }

        while (Volatile.Read(ref idling) < count && clock.Elapsed < TimeSpan.FromMinutes(5))
        {
            await Task.Delay(50);
        }

        var setup = clock.Elapsed.TotalMilliseconds;
        await Task.Delay(2000); // steady state
        GC.Collect();
        var rssWatching = Measurement.CurrentRssMb();
        var threadsWatching = Measurement.Threads();

        using (var appender = await Child.MailKitAsync(settings))
        {
            var message = new MimeMessage { Subject = "arrival" };
            message.From.Add(new MailboxAddress("Bench", "bench@example.com"));
            message.Body = new TextPart("plain") { Text = "x" };
            clock.Restart();
            foreach (var f in folders)
            {
                await (await appender.GetFolderAsync(f)).AppendAsync(message);
            }

            while (seen.Count < count && clock.Elapsed < TimeSpan.FromMinutes(3))
            {
                await Task.Delay(20);
            }

            await appender.DisconnectAsync(true);
        }

        var delivered = clock.Elapsed.TotalMilliseconds;
        foreach (var step in cleanup)
        {
            await step();
        }

        var perWatchKb = (rssWatching - rssBefore) * 1024 / count;
        return (seen.Count, 0, string.Create(CultureInfo.InvariantCulture,
            $"ms={delivered:0};setup={setup:0}ms;perWatch={perWatchKb:0}KB;threadsAdded={threadsWatching - threadsBefore};rssWatching={rssWatching:0}MB"));
    }

    public static string Name(int i) => "W/" + i.ToString("D4", CultureInfo.InvariantCulture);
}
