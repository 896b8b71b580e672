using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using ImapRx.Model;
using ImapRx.Sandbox.Server;
using ImapRx.Wire;
using MailKit;

namespace ImapRx.Bench;

/// <summary>
/// The native reader's client-side cost alone, without the network or Dovecot: one S1 reply (the same items, the
/// same mixed corpus) is captured from a sandbox Dovecot into memory, then framed, parsed and mapped to
/// <c>MailMessageInfo</c> several times in this process. Prints time and bytes allocated per message, so a change
/// to the parser can be judged in seconds on a noisy machine (allocations do not depend on the load).
/// <c>bash bench/run.sh parse [count=20000] [rounds=10]</c>.
/// </summary>
public static class ParseOnly
{
    private const string Items = "(UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE MODSEQ)";

    public static async Task<int> RunAsync(string[] args)
    {
        var settings = args.Select(a => a.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        var count = int.Parse(settings.GetValueOrDefault("count", "20000"), System.Globalization.CultureInfo.InvariantCulture);
        var rounds = int.Parse(settings.GetValueOrDefault("rounds", "10"), System.Globalization.CultureInfo.InvariantCulture);

        byte[] reply;
        await using (var server = await DovecotServer.StartAsync(new DovecotServerOptions()))
        {
            var user = await server.CreateUserAsync();
            await using (var setup = await SandboxClient.ConnectAsync(server, user))
            {
                await setup.CreateFolderAsync("Parse");
            }

            var generator = new CorpusGenerator(2026) { MalformedInterval = 0 };
            await new MaildirWriter(server).WriteAsync(
                user,
                "Parse",
                Enumerable.Range(0, count).Select(i => i % 10 == 0 ? generator.CreateMessage(i) : generator.CreateSmallMessage(i)));
            reply = await CaptureAsync(server.Host, server.PlainPort, user.Name, user.Password);
        }

        if (settings.TryGetValue("dump", out var dump))
        {
            File.WriteAllBytes(dump, reply); // to look at what is being parsed
        }

        Console.WriteLine($"Captured {count:N0} messages: {reply.Length / 1048576.0:0.0} MB of FETCH responses.");
        var times = new List<double>();
        var allocated = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var gen0 = GC.CollectionCount(0);
            var gen2 = GC.CollectionCount(2);
            var before = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            var messages = await ParseAsync(reply);
            clock.Stop();
            var bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            if (messages != count)
            {
                throw new InvalidOperationException($"Parsed {messages} messages, expected {count}.");
            }

            times.Add(clock.Elapsed.TotalMilliseconds * 1000 / count);
            allocated.Add((double)bytes / count);
            Console.WriteLine($"  round {round + 1}: {clock.Elapsed.TotalMilliseconds:0} ms, {times[^1]:0.00} us and {allocated[^1]:0} B per message, gen0 {GC.CollectionCount(0) - gen0}, gen2 {GC.CollectionCount(2) - gen2}");
        }

        times.Sort();
        Console.WriteLine($"Median {times[times.Count / 2]:0.00} us per message, {allocated.Min():0} B allocated per message.");
        return 0;
    }

    /// <summary>Frames, parses and maps the reply exactly as the native fetch does; returns the message count.</summary>
    private static async Task<int> ParseAsync(byte[] reply)
    {
        var reader = new WireResponseReader(new MemoryStream(reply, writable: false));
        var batch = new WireFetchBatch();
        var messages = 0;
        while (true)
        {
            var response = await reader.ReadAsync(CancellationToken.None);
            if (!response.StartsWith("* "))
            {
                break; // the tagged OK
            }

            batch.Add(response);
        }

        if (batch.RejectedBecause is not null)
        {
            throw new InvalidOperationException("The reader rejected the reply: " + batch.RejectedBecause);
        }

        foreach (var summary in batch.Summaries)
        {
            var info = WireMessageMapper.ToInfo(summary, "Parse", MailFolderType.Custom, 1, expectModSeq: true);
            messages += info.Uid > 0 ? 1 : 0;
        }

        return messages;
    }

    /// <summary>Logs in over a plain socket, enables CONDSTORE, and keeps every byte of the UID FETCH reply up to the tagged line.</summary>
    private static async Task<byte[]> CaptureAsync(string host, int port, string user, string password)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(host, port);
        var stream = tcp.GetStream();
        var buffer = new byte[1 << 20];
        var pending = new MemoryStream();

        async Task<byte[]> CommandAsync(string tag, string command)
        {
            pending.SetLength(0);
            pending.Write("\r\n"u8); // so a tagged line that comes first is found like any other
            await stream.WriteAsync(Encoding.ASCII.GetBytes(tag + " " + command + "\r\n"));
            var marker = Encoding.ASCII.GetBytes("\r\n" + tag + " ");
            while (true)
            {
                var read = await stream.ReadAsync(buffer);
                if (read == 0)
                {
                    throw new IOException("The server closed the connection.");
                }

                var from = (int)Math.Max(0, pending.Length - marker.Length - 256);
                pending.Write(buffer, 0, read);
                var all = pending.GetBuffer().AsSpan(0, (int)pending.Length);
                var at = all[from..].IndexOf(marker);
                at = at < 0 ? -1 : at + from;
                if (at >= 0 && all[(at + 2)..].IndexOf((byte)'\n') >= 0)
                {
                    var tagged = Encoding.ASCII.GetString(all[(at + 2)..]);
                    if (!tagged.StartsWith(tag + " OK", StringComparison.Ordinal))
                    {
                        throw new InvalidOperationException("Server said: " + tagged);
                    }

                    return all[2..(at + 2)].ToArray().Concat(Encoding.ASCII.GetBytes(tagged)).ToArray();
                }
            }
        }

        await stream.ReadAsync(buffer); // greeting
        await CommandAsync("a", $"LOGIN \"{user}\" \"{password}\"");
        await CommandAsync("b", "ENABLE CONDSTORE");
        await CommandAsync("c", "EXAMINE Parse");
        return await CommandAsync("d", "UID FETCH 1:* " + Items);
    }
}
