using System.Text;

namespace ImapRx.Tests.Watching;

/// <summary>
/// Collects the protocol logs of every connection a pool opens, to see what really crossed the wire. Each
/// connection's log is assembled into whole lines before it joins the others: MailKit writes a line's "C: " or
/// "S: " prefix and its text in separate writes, and connections log at the same time, so appending every write
/// as it comes could splice one connection's line into another's and hide both from <see cref="Count"/>.
/// </summary>
internal sealed class WireLog
{
    private readonly object _gate = new();
    private readonly StringBuilder _text = new();
    private readonly List<Sink> _sinks = new();

    public Stream Open(string connectionName)
    {
        var sink = new Sink(this);
        lock (_gate)
        {
            _sinks.Add(sink);
        }

        return sink;
    }

    /// <summary>Every whole line so far in the order they were completed, then each connection's unfinished line.</summary>
    public override string ToString()
    {
        lock (_gate)
        {
            var text = new StringBuilder(_text.ToString());
            foreach (var sink in _sinks)
            {
                if (sink.Pending.Length > 0)
                {
                    text.Append(sink.Pending).Append('\n');
                }
            }

            return text.ToString();
        }
    }

    /// <summary>Lines that start with <paramref name="prefix"/> (e.g. "C: DONE", "S: + idling").</summary>
    public int Count(string prefix)
        => ToString().Split('\n').Count(line => line.TrimEnd('\r').StartsWith(prefix, StringComparison.Ordinal));

    public async Task WaitForCountAsync(string prefix, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Count(prefix) < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {count} x '{prefix}'; wire so far:\n{this}");
            await Task.Delay(10);
        }
    }

    private sealed class Sink(WireLog owner) : Stream
    {
        private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();

        /// <summary>This connection's line so far (guarded by the owner's gate).</summary>
        internal StringBuilder Pending { get; } = new();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count)
        {
            lock (owner._gate)
            {
                var chars = new char[_decoder.GetCharCount(buffer, offset, count)];
                _decoder.GetChars(buffer, offset, count, chars, 0);
                foreach (var c in chars)
                {
                    Pending.Append(c);
                    if (c == '\n')
                    {
                        owner._text.Append(Pending);
                        Pending.Clear();
                    }
                }
            }
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
