using System.Diagnostics;
using System.Text;

namespace ImapRx.Bench;

/// <summary>
/// BENCH_TRACE=directory: a timeline of every command and tagged reply on every connection (not the untagged data),
/// to see where a contender's time goes: waiting for the server, or between commands.
/// </summary>
public static class CommandTrace
{
    private static readonly Stopwatch Clock = Stopwatch.StartNew();
    private static readonly object Gate = new();

    public static Func<string, Stream>? For(string? directory)
    {
        if (string.IsNullOrEmpty(directory))
        {
            return null;
        }

        Directory.CreateDirectory(directory);
        var args = Environment.GetCommandLineArgs();
        var path = Path.Combine(directory, $"{string.Join('-', args.Skip(2).Take(2))}-{Environment.ProcessId}.log");
        return connection => new TraceStream(path, connection);
    }

    private sealed class TraceStream(string path, string connection) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => 0;

        public override long Position { get => 0; set { } }

        private readonly StringBuilder _line = new();

        public override void Write(byte[] buffer, int offset, int count)
        {
            for (var i = offset; i < offset + count; i++)
            {
                var c = (char)buffer[i];
                if (c == '\n')
                {
                    var text = _line.ToString();
                    _line.Clear();
                    if (text.StartsWith("C: ", StringComparison.Ordinal) || (text.Length > 4 && text.StartsWith("S: A", StringComparison.Ordinal) && char.IsDigit(text[4])))
                    {
                        var entry = $"{Clock.Elapsed.TotalMilliseconds,10:0.0} {connection} {text.TrimEnd('\r')[..Math.Min(text.Length - 1, 90)]}\n";
                        lock (Gate)
                        {
                            File.AppendAllText(path, entry);
                        }
                    }
                }
                else if (_line.Length < 200)
                {
                    _line.Append(c);
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
