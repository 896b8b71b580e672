using System.Text;
using ImapRx.Sandbox.Server;
using MimeKit;

namespace ImapRx.Tests.Server;

public sealed class CorpusGeneratorTests
{
    private static readonly IReadOnlyList<CorpusMessage> Corpus = new CorpusGenerator(seed: 7).Generate(200).ToArray();

    [Fact]
    public void CreateMessage_SameSeedAndIndex_GivesIdenticalBytes()
    {
        var first = new CorpusGenerator(seed: 7).CreateMessage(42);
        var again = new CorpusGenerator(seed: 7).CreateMessage(42);

        Assert.Equal(first.Content.ToArray(), again.Content.ToArray());
        Assert.Equal(Corpus[42].Content.ToArray(), first.Content.ToArray());
    }

    [Fact]
    public void CreateMessage_DifferentSeed_GivesDifferentMessage()
    {
        var a = new CorpusGenerator(seed: 1).CreateMessage(5);
        var b = new CorpusGenerator(seed: 2).CreateMessage(5);

        Assert.NotEqual(a.Content.ToArray(), b.Content.ToArray());
        Assert.NotEqual(a.MessageId, b.MessageId);
    }

    [Fact]
    public void Generate_EveryMessage_ParsesBackToItsExpectations()
    {
        foreach (var expected in Corpus)
        {
            CorpusAssert.MessageMatches(expected, expected.ToMimeMessage());
        }
    }

    [Fact]
    public void Generate_200Messages_CoverSizesAttachmentsAndMalformations()
    {
        Assert.InRange(Corpus.Min(m => m.Size), 1, 2_048);
        Assert.InRange(Corpus.Max(m => m.Size), 100_000, 600_000);
        Assert.Equal(new[] { 0, 1, 2, 3 }, Corpus.Select(m => m.AttachmentCount).Distinct().Order());
        Assert.Equal(Enum.GetValues<CorpusMalformation>(), Corpus.Select(m => m.Malformation).Distinct().Order());
        Assert.Contains(Corpus, m => m.TextBody is not null && m.HtmlBody is not null);
        Assert.Contains(Corpus, m => m.Cc.Count > 0);
        Assert.Contains(Corpus, m => m.Bcc.Count > 0);
        Assert.Contains(Corpus, m => m.Flags.HasFlag(MailKit.MessageFlags.Seen));
        Assert.Contains(Corpus, m => !m.Flags.HasFlag(MailKit.MessageFlags.Seen));
    }

    [Fact]
    public void Generate_NonAsciiSubject_IsRfc2047EncodedInTheRawHeader()
    {
        var message = Corpus.First(m => m.Malformation == CorpusMalformation.None && m.Subject.Any(c => c > 127));
        var headers = RawHeaders(message);

        Assert.Contains("Subject: =?utf-8?", headers, StringComparison.OrdinalIgnoreCase);
        Assert.All(headers, c => Assert.True(c < 128));
    }

    [Fact]
    public void Generate_RawEightBitHeaderMessage_HasUtf8BytesInItsHeaders()
    {
        var message = Corpus.First(m => m.Malformation == CorpusMalformation.RawEightBitHeader && m.Subject.Any(c => c > 127));

        Assert.Contains(message.Subject, RawHeaders(message), StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_BrokenBoundaryMessage_DeclaresABoundaryThatNeverOccurs()
    {
        var message = Corpus.First(m => m.Malformation == CorpusMalformation.BrokenBoundary);
        var parsed = message.ToMimeMessage();

        var multipart = Assert.IsAssignableFrom<Multipart>(parsed.Body);
        Assert.Empty(multipart);
        Assert.Null(message.TextBody);
    }

    [Fact]
    public void Generate_MissingDateMessage_HasNoDateHeader()
    {
        var message = Corpus.First(m => m.Malformation == CorpusMalformation.MissingDate);

        Assert.Null(message.Date);
        Assert.False(message.ToMimeMessage().Headers.Contains(HeaderId.Date));
    }

    [Fact]
    public void GenerateSmall_Messages_AreTinyAndParse()
    {
        var small = new CorpusGenerator().GenerateSmall(50).ToArray();

        Assert.All(small, m => Assert.InRange(m.Size, 100, 1_024));
        Assert.All(small, m => Assert.True(m.IsSmall));
        foreach (var expected in small)
        {
            CorpusAssert.MessageMatches(expected, expected.ToMimeMessage());
        }
    }

    [Fact]
    public void Generate_NegativeCount_ThrowsArgumentOutOfRange()
    {
        var generator = new CorpusGenerator();

        Assert.Throws<ArgumentOutOfRangeException>("count", () => generator.Generate(-1));
    }

    [Fact]
    public void MalformedInterval_Negative_ThrowsArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>("MalformedInterval", () => new CorpusGenerator { MalformedInterval = -1 });
    }

    private static string RawHeaders(CorpusMessage message)
    {
        var text = Encoding.UTF8.GetString(message.Content.Span);
        return text[..text.IndexOf("\n\n", StringComparison.Ordinal)];
    }
}
