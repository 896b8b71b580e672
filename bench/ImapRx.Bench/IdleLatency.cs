using System.Diagnostics;
using System.Globalization;
using ImapRx.Model;
using MailKit;
using MimeKit;

namespace ImapRx.Bench;

/// <summary>
/// S3: from another client's APPEND completing to the watcher seeing the message. Dovecot holds every change
/// notification for about 500 ms, so both contenders sit on that floor; the difference is ours.
/// </summary>
public static class IdleLatency
{
    public static async Task<(long Items, long Bytes, string? Detail)> RunAsync(string contender, Child.Settings settings)
    {
        var trials = settings.Int("trials", 70);
        var folder = settings.Folder;
        var arrived = new SemaphoreSlim(0);
        var clock = Stopwatch.StartNew();
        double seenAt = 0;
        void Seen()
        {
            Volatile.Write(ref seenAt, clock.Elapsed.TotalMilliseconds);
            arrived.Release();
        }

        IAsyncDisposable watcher;
        Task ready;
        switch (contender)
        {
            case "imaprx":
            {
                var client = Child.ImapRx(settings, 3);
                var idling = new TaskCompletionSource();
                var subscription = client.Watch(folder).Subscribe(e =>
                {
                    if (e is WatchIdling)
                    {
                        idling.TrySetResult();
                    }
                    else if (e is MessagesArrived)
                    {
                        Seen();
                    }
                });
                ready = idling.Task;
                watcher = new Disposer(async () =>
                {
                    subscription.Dispose();
                    await client.DisposeAsync();
                });
                break;
            }

            case "socket":
            case "socket-refetch":
            {
                // "socket-refetch" behaves like any client that wants the new UIDs: on EXISTS it ends IDLE, asks
                // UID SEARCH for them and IDLEs again, which is what ImapRx does; "socket" only notices EXISTS.
                var refetch = contender == "socket-refetch";
                var raw = await RawImap.ConnectAsync(settings.Host, settings.Port, settings.User, settings.Password);
                await raw.CommandAsync($"SELECT \"{folder}\"");
                await raw.StartAsync("IDLE");
                var idling = new TaskCompletionSource();
                using var stop = new CancellationTokenSource();
                var reader = Task.Run(async () =>
                {
                    while (true)
                    {
                        var line = await raw.ReadLineAsync();
                        if (line.StartsWith('+'))
                        {
                            idling.TrySetResult();
                        }
                        else if (line.EndsWith(" EXISTS", StringComparison.Ordinal) && !refetch)
                        {
                            Seen();
                        }
                        else if (line.EndsWith(" EXISTS", StringComparison.Ordinal))
                        {
                            await raw.SendAsync("DONE");
                            while (!(await raw.ReadLineAsync()).Contains(" OK", StringComparison.Ordinal))
                            {
                            }

                            await raw.CommandAsync("UID SEARCH ALL");
                            Seen();
                            await raw.StartAsync("IDLE");
                        }
                    }
                });
                ready = idling.Task;
                watcher = new Disposer(async () => await raw.DisposeAsync());
                break;
            }

            default:
                throw new ArgumentException("Unknown contender " + contender);
        }

        await ready.WaitAsync(TimeSpan.FromSeconds(30));
        using var appender = await Child.MailKitAsync(settings);
        var target = await appender.GetFolderAsync(folder);
        var latencies = new List<double>();
        // Trial 0 is a warm-up and not recorded: it pays the JIT of each contender's event path (about 10 ms for
        // ImapRx's Rx pipeline, nothing for the raw socket), which is not latency.
        for (var i = -1; i < trials; i++)
        {
            var message = new MimeMessage { Subject = "latency " + i };
            message.From.Add(new MailboxAddress("Bench", "bench@example.com"));
            message.Body = new TextPart("plain") { Text = "x" };
            await Task.Delay(100); // let the previous notification settle
            await target.AppendAsync(message);
            var appended = clock.Elapsed.TotalMilliseconds;
            if (!await arrived.WaitAsync(TimeSpan.FromSeconds(10)))
            {
                throw new TimeoutException($"trial {i}: no event within 10 s");
            }

            if (i >= 0)
            {
                latencies.Add(Volatile.Read(ref seenAt) - appended);
            }
        }

        await watcher.DisposeAsync();
        await appender.DisconnectAsync(true);
        return (trials, 0, "latencies=" + string.Join(",", latencies.Select(l => l.ToString("0.###", CultureInfo.InvariantCulture))));
    }

    private sealed class Disposer(Func<Task> dispose) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await dispose();
    }
}
