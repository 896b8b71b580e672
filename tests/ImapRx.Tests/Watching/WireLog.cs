using System.Text;

namespace ImapRx.Tests.Watching;

/// <summary>Collects the protocol logs of every connection a pool opens, to see what really crossed the wire.</summary>
internal sealed class WireLog
{
    private readonly object _gate = new();
    private readonly StringBuilder _text = new();

    public Stream Open(string connectionName) => new Sink(this);

    public override string ToString()
    {
        lock (_gate)
        {
            return _text.ToString();
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
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count)
        {
            lock (owner._gate)
            {
                owner._text.Append(Encoding.UTF8.GetString(buffer, offset, count));
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
