using System.Text;
using ImapRx.Search;
using MailKit;
using MailKit.Search;

namespace ImapRx.Tests.Search;

public class ImapSearchParserHostileInputTests
{
    private static readonly string[] ValidSamples =
    {
        "ALL",
        "UNSEEN",
        "FROM \"sender@example.com\" UNSEEN",
        "BEFORE 01-Jan-2026",
        "OR (FROM alice SINCE 1-Feb-2026) NOT (FLAGGED OR DELETED DRAFT)",
        "SUBJECT \"a \\\"quoted\\\" word\" BODY report",
        "HEADER X-Mailer \"\" KEYWORD $Important UNKEYWORD NonJunk",
        "UID 1:5,7,10:* LARGER 1000 SMALLER 99999",
        "1:100 SENTON 29-Feb-2024 YOUNGER 3600",
        "CHARSET UTF-8 TEXT \"Grüße\" MODSEQ 12345",
        "NOT NOT NOT (((SEEN)))",
    };

    private static readonly string[] Fragments =
    {
        "ALL", "OR", "NOT", "SUBJECT", "FROM", "HEADER", "UID", "BEFORE", "LARGER", "KEYWORD", "MODSEQ", "CHARSET",
        "FUZZY", " ", " ", "  ", "\t", "(", ")", "\"", "\\", "\\\"", "\\\\", "{", "}", "{5}", "*", ":", ",", "0", "1",
        "42", "4294967296", "99999999999999999999", "1-Jan-2026", "31-Feb-2026", "-", "Jan", "x", "é", "日本",
        "\r", "\n", "\r\n", "\0", "\u0001", "\u007f", "\u2028", "\uFFFF", "\uD800", "$", "%", "]", "A1 DELETE INBOX",
    };

    [Theory]
    [InlineData("SUBJECT \"x\r\nA1 DELETE INBOX\"", 10, "CR")]
    [InlineData("SUBJECT x\r\nA1 DELETE INBOX", 9, "CR")]
    [InlineData("SUBJECT x\nA1 DELETE INBOX", 9, "LF")]
    [InlineData("SUBJECT \"x\nA1 DELETE INBOX\"", 10, "LF")]
    [InlineData("UNSEEN\r", 6, "CR")]
    [InlineData("\nALL", 0, "LF")]
    [InlineData("HEADER \"X-A\r\n\" b", 11, "CR")]
    [InlineData("KEYWORD $A\r\nA2 LOGOUT", 10, "CR")]
    [InlineData("SUBJECT \"unterminated\r\n", 21, "CR")]
    [InlineData("OR ( SEEN\r\n", 9, "CR")]
    public void Parse_LineBreakAnywhere_IsRejectedAsCommandInjection(string criteria, int position, string name)
    {
        var ex = Assert.Throws<ImapSearchSyntaxException>(() => ImapSearchParser.Parse(criteria));

        Assert.Equal(position, ex.Position);
        Assert.Contains($"line break ({name})", ex.Message);
        Assert.Contains("new command", ex.Message);
        Assert.DoesNotContain('\r', ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Theory]
    [InlineData("SUBJECT \"a\0b\"", 10)]
    [InlineData("\0", 0)]
    public void Parse_Nul_IsRejected(string criteria, int position)
    {
        var ex = Assert.Throws<ImapSearchSyntaxException>(() => ImapSearchParser.Parse(criteria));

        Assert.Equal(position, ex.Position);
        Assert.Contains("NUL", ex.Message);
    }

    [Theory]
    [InlineData("(", 100_000)]
    [InlineData("NOT ", 100_000)]
    [InlineData("OR SEEN ", 100_000)]
    [InlineData("FUZZY ", 100_000)]
    public void Parse_HugeNesting_IsASyntaxErrorNotAStackOverflow(string unit, int count)
    {
        var criteria = new StringBuilder().Insert(0, unit, count).Append("SEEN").ToString();

        var ex = Assert.Throws<ImapSearchSyntaxException>(() => ImapSearchParser.Parse(criteria));

        Assert.Contains("nested", ex.Message);
    }

    [Fact]
    public void Parse_MegabyteQuotedString_IsKeptWhole()
    {
        var text = new string('a', 1 << 20);

        var query = Assert.IsType<TextSearchQuery>(ImapSearchParser.Parse($"BODY \"{text}\"").Query);

        Assert.Equal(text.Length, query.Text.Length);
    }

    [Fact]
    public async Task Parse_MutatedValidStrings_OnlyEverThrowSyntaxErrors()
    {
        var random = new Random(3501);
        var inputs = new List<string>();
        for (var i = 0; i < 400; i++)
        {
            inputs.Add(Mutate(ValidSamples[random.Next(ValidSamples.Length)], random));
        }

        await Task.Run(() => CheckAll(inputs)).WaitAsync(TimeSpan.FromMinutes(2));
    }

    [Fact]
    public async Task Parse_RandomFragmentSoup_OnlyEverThrowsSyntaxErrors()
    {
        var random = new Random(9051);
        var inputs = new List<string>();
        for (var i = 0; i < 400; i++)
        {
            var builder = new StringBuilder();
            var parts = random.Next(1, 14);
            for (var p = 0; p < parts; p++)
            {
                builder.Append(Fragments[random.Next(Fragments.Length)]);
                if (random.Next(3) == 0)
                {
                    builder.Append(' ');
                }
            }

            inputs.Add(builder.ToString());
        }

        for (var i = 0; i < 100; i++)
        {
            var chars = new char[random.Next(0, 40)];
            for (var c = 0; c < chars.Length; c++)
            {
                chars[c] = (char)random.Next(0, 0x80);
            }

            inputs.Add(new string(chars));
        }

        await Task.Run(() => CheckAll(inputs)).WaitAsync(TimeSpan.FromMinutes(2));
    }

    [Fact]
    public void Fuzz_Corpus_ExercisesBothOutcomes()
    {
        // Guards the fuzz tests above against generating only successes or only failures.
        var random = new Random(3501);
        var outcomes = Enumerable.Range(0, 400)
            .Select(i => ImapSearchParser.TryParse(Mutate(ValidSamples[random.Next(ValidSamples.Length)], random), out _))
            .ToList();

        Assert.Contains(true, outcomes);
        Assert.Contains(false, outcomes);
    }

    private static string Mutate(string sample, Random random)
    {
        var builder = new StringBuilder(sample);
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits; e++)
        {
            var at = random.Next(builder.Length + 1);
            switch (random.Next(4))
            {
                case 0 when builder.Length > 0 && at < builder.Length:
                    builder.Remove(at, random.Next(1, Math.Min(6, builder.Length - at) + 1));
                    break;
                case 1:
                    builder.Insert(at, Fragments[random.Next(Fragments.Length)]);
                    break;
                case 2 when at < builder.Length:
                    builder[at] = (char)random.Next(0, 0x80);
                    break;
                default:
                    builder.Insert(at, sample.Substring(random.Next(sample.Length)));
                    break;
            }
        }

        return builder.ToString();
    }

    private static void CheckAll(IEnumerable<string> inputs)
    {
        foreach (var input in inputs)
        {
            Check(input);
        }
    }

    private static void Check(string input)
    {
        ImapSearchCriteria criteria;
        try
        {
            criteria = ImapSearchParser.Parse(input);
        }
        catch (ImapSearchSyntaxException ex)
        {
            Assert.InRange(ex.Position, 0, input.Length);
            Assert.NotNull(ex.Token);
            Assert.StartsWith(ex.Token, input.Substring(Math.Min(ex.Position, input.Length)), StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(ex.Message));
            Assert.DoesNotContain('\r', ex.Message);
            Assert.DoesNotContain('\n', ex.Message);
            return;
        }
        catch (Exception ex)
        {
            Assert.Fail($"Input {Escape(input)} threw {ex.GetType().Name}: {ex.Message}");
            return;
        }

        Assert.True(input.IndexOfAny(new[] { '\r', '\n', '\0' }) < 0, $"accepted {Escape(input)}");
        var query = criteria.Resolve(set => set.ToIndexes(5).Select(i => new UniqueId((uint)i + 1)).ToList());
        Assert.NotNull(query);
    }

    private static string Escape(string s) =>
        string.Concat(s.Select(c => c < ' ' || c > '~' ? $"\\u{(int)c:X4}" : c.ToString()));
}
