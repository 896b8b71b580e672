using System.Text;

namespace ImapRx.Tests.Watching;

/// <summary>The test suite's wire log: lines from connections logging at the same time are never spliced.</summary>
public sealed class WireLogTests
{
    [Fact]
    public void Count_TwoConnectionsWritePrefixAndTextInTurn_EveryLineCountedOnce()
    {
        var wire = new WireLog();
        var a = wire.Open("a");
        var b = wire.Open("b");

        // MailKit writes the prefix, then the line: two connections doing so at once interleave their writes.
        Write(a, "C: ");
        Write(b, "C: ");
        Write(a, "A00000001 AUTHENTICATE PLAIN\r\n");
        Write(b, "B00000001 AUTHENTICATE PLAIN\r\n");
        Write(a, "C: A00000002 EXAM");
        Write(b, "S: B00000001 OK\r\n");
        Write(a, "INE INBOX\r\n");

        Assert.Equal(2, wire.Count("C: A00000001 AUTHENTICATE") + wire.Count("C: B00000001 AUTHENTICATE"));
        Assert.Equal(1, wire.Count("C: A00000002 EXAMINE INBOX"));
        Assert.Equal(1, wire.Count("S: B00000001 OK"));
        Assert.Equal(4, wire.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void ToString_UnfinishedLineAndSplitUtf8_ShownWholeAndDecoded()
    {
        var wire = new WireLog();
        var a = wire.Open("a");
        var bytes = Encoding.UTF8.GetBytes("S: * LIST () \"/\" Entwürfe\r\n");
        var split = Array.IndexOf(bytes, (byte)0xC3) + 1; // inside the two bytes of "ü"

        a.Write(bytes, 0, split);
        Assert.StartsWith("S: * LIST () \"/\" Entw", wire.ToString(), StringComparison.Ordinal);
        a.Write(bytes, split, bytes.Length - split);

        Assert.Equal("S: * LIST () \"/\" Entwürfe\r\n", wire.ToString());
    }

    private static void Write(Stream stream, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        stream.Write(bytes, 0, bytes.Length);
    }
}
