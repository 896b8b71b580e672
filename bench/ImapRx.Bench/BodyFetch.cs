using System.Reactive.Linq;
using ImapRx.Fetching;
using MailKit;
using MailKit.Net.Imap;

namespace ImapRx.Bench;

/// <summary>S2: every message's full bytes (BODY.PEEK[]), parsed by nobody.</summary>
public static class BodyFetch
{
    public static async Task<(long Items, long Bytes, string? Detail)> RunAsync(string contender, Child.Settings settings)
    {
        var batch = settings.Int("batch", 100);
        switch (contender)
        {
            case "imaprx":
            case "imaprx-mailkit":
            case "imaprx-pool":
            case "imaprx-native2":
            {
                // imaprx: the native FETCH reader (one connection); imaprx-mailkit: the same call through MailKit's
                // GetStreamsAsync (today's path, and what a rejected batch falls back to); imaprx-pool: MailKit on N;
                // imaprx-native2: the native reader on 2 bulk sessions.
                var parallel = contender == "imaprx-pool" ? settings.Int("parallel", 4) : contender == "imaprx-native2" ? 2 : 1;
                await using var client = Child.ImapRx(settings, parallel + 1);
                long items = 0;
                long bytes = 0;
                var options = new FetchOptions
                {
                    BatchSize = batch,
                    MaxParallelism = parallel,
                    Limit = settings.Int("limit", int.MaxValue),
                    UseNativeReader = contender is "imaprx" or "imaprx-native2",
                };
                await client.MessageContents(settings.Folder, options)
                    .ForEachAsync(m =>
                    {
                        items++;
                        bytes += m.Size;
                    });
                return (items, bytes, $"parallel={parallel} native={options.UseNativeReader}");
            }

            case "mailkit":
            case "mailkit-copy":
            {
                using var client = await Child.MailKitAsync(settings);
                var folder = (ImapFolder)await client.GetFolderAsync(settings.Folder);
                await folder.OpenAsync(FolderAccess.ReadOnly);
                var last = Math.Min(folder.UidNext!.Value.Id - 1, (uint)settings.Int("limit", int.MaxValue));
                long items = 0;
                long bytes = 0;
                for (uint lo = 1; lo <= last; lo += (uint)batch)
                {
                    var range = new UniqueIdRange(new UniqueId(lo), new UniqueId(Math.Min(last, lo + (uint)batch - 1)));
                    await folder.GetStreamsAsync(range, async (_, _, _, stream, ct) =>
                    {
                        // Streaming: the bytes go somewhere (here nowhere) without being kept or parsed; or, like
                        // ImapRx must to hand them to a subscriber, into a buffer of their own ("mailkit-copy").
                        Stream sink = contender == "mailkit-copy" ? new MemoryStream((int)stream.Length) : new CountingSink();
                        await stream.CopyToAsync(sink, 81920, ct);
                        items++;
                        bytes += sink.Length;
                    });
                }

                await client.DisconnectAsync(true);
                return (items, bytes, null);
            }

            case "socket":
            case "socket-condstore":
            case "socket-second":
            {
                // Experiments on the server's side of the native path: socket-condstore sends ENABLE CONDSTORE first,
                // as the native reader's session does; socket-second keeps a second session open on the folder, as
                // the native path's pooled MailKit connection (which planned the fetch) is.
                await using var raw = await RawImap.ConnectAsync(settings.Host, settings.Port, settings.User, settings.Password);
                await using var second = contender == "socket-second" ? await RawImap.ConnectAsync(settings.Host, settings.Port, settings.User, settings.Password) : null;
                if (second is not null)
                {
                    await second.CommandAsync($"EXAMINE \"{settings.Folder}\"");
                }

                if (contender == "socket-condstore")
                {
                    await raw.CommandAsync("ENABLE CONDSTORE");
                }

                await raw.CommandAsync($"EXAMINE \"{settings.Folder}\"");
                var last = Math.Min(settings.Int("count"), settings.Int("limit", int.MaxValue));
                long bytes = 0;
                for (var lo = 1; lo <= last; lo += batch)
                {
                    bytes += await raw.CommandAsync($"UID FETCH {lo}:{Math.Min(last, lo + batch - 1)} (BODY.PEEK[])");
                }

                return (last, bytes, null);
            }

            default:
                throw new ArgumentException("Unknown contender " + contender);
        }
    }

    private sealed class CountingSink : Stream
    {
        public long Count { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => Count;

        public override long Position { get => Count; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Count += count;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Count += buffer.Length;
            return ValueTask.CompletedTask;
        }
    }
}
