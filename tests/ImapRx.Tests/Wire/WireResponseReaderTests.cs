using System.Text;
using ImapRx.Wire;

namespace ImapRx.Tests.Wire;

public sealed class WireResponseReaderTests
{
    [Fact]
    public void ReadAsync_LiteralFarPast4096Bytes_FramesAndParsesIt()
    {
        // MailKit refuses string literals over 4,096 bytes inside an ENVELOPE; the native reader has no such limit.
        var subject = new string('s', 200_000);
        var response = $"* 1 FETCH (UID 9 FLAGS () INTERNALDATE \" 5-Jan-2026 08:00:00 +0000\" RFC822.SIZE 10 ENVELOPE (NIL {{{subject.Length}}}\r\n{subject} NIL NIL NIL NIL NIL NIL NIL NIL) BODYSTRUCTURE (\"text\" \"plain\" NIL NIL NIL \"7BIT\" 1 1))\r\n";

        var infos = WireHarness.Native(Encoding.ASCII.GetBytes(response));

        Assert.NotNull(infos);
        Assert.Equal(subject, Assert.Single(infos!).Subject);
        Assert.Equal(9u, infos![0].Uid);
    }

    [Fact]
    public async Task ReadAsync_ResponsesSplitAcrossTinyReads_EachComesWhole()
    {
        var text = "* 3 EXISTS\r\n* 1 FETCH (UID 1 BODY[] {5}\r\nab\r\nc)\r\nA1 OK done\r\n";
        var reader = new WireResponseReader(new TrickleStream(Encoding.ASCII.GetBytes(text)), initialBufferBytes: 16);

        var first = await reader.ReadAsync(CancellationToken.None);
        Assert.Equal("* 3 EXISTS", first.ToText());
        var second = await reader.ReadAsync(CancellationToken.None);
        Assert.Equal("* 1 FETCH (UID 1 BODY[] {5}\r\nab\r\nc)", second.ToText());
        var third = await reader.ReadAsync(CancellationToken.None);
        Assert.Equal("A1 OK done", third.ToText());
    }

    [Fact]
    public async Task ReadAsync_StreamEndsInsideLiteral_ThrowsWireProtocolException()
    {
        var reader = new WireResponseReader(new MemoryStream(Encoding.ASCII.GetBytes("* 1 FETCH (BODY[] {50}\r\nshort")));

        await Assert.ThrowsAsync<WireProtocolException>(() => reader.ReadAsync(CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task ReadAsync_LineWithoutCrlf_ThrowsWireProtocolException()
    {
        var reader = new WireResponseReader(new MemoryStream(Encoding.ASCII.GetBytes("* OK bare newline\n")));

        await Assert.ThrowsAsync<WireProtocolException>(() => reader.ReadAsync(CancellationToken.None).AsTask());
    }

    /// <summary>Hands out one to three bytes per read.</summary>
    private sealed class TrickleStream(byte[] bytes) : MemoryStream(bytes)
    {
        private int _next;

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 1 + (_next++ % 3)));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            => base.ReadAsync(buffer[..Math.Min(buffer.Length, 1 + (_next++ % 3))], cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => Task.FromResult(Read(buffer, offset, count));
    }
}
