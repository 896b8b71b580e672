using System.Globalization;
using System.Text;
using MailKit;
using MimeKit;
using MimeKit.Utils;

namespace ImapRx.Sandbox.Server;

/// <summary>
/// Generates a deterministic mail corpus: the same seed and index always give the same bytes. Each message
/// can be generated on its own (random access), carries a known Message-ID and an <c>X-Corpus-Index</c>
/// header, and comes with the values a reader must get back (<see cref="CorpusMessage"/>).
/// </summary>
public sealed class CorpusGenerator
{
    /// <summary>The header carrying each message's index.</summary>
    public const string IndexHeader = "X-Corpus-Index";

    private static readonly DateTimeOffset Epoch = new(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);
    private int _malformedInterval = 20;

    /// <summary>Initializes a generator.</summary>
    /// <param name="seed">Selects the corpus; the default gives the project's standard corpus.</param>
    public CorpusGenerator(int seed = 1)
    {
        Seed = seed;
    }

    /// <summary>Gets the seed.</summary>
    public int Seed { get; }

    /// <summary>Gets or sets how often a malformed message appears: index % interval == interval - 1; 0 for never.</summary>
    /// <value>The default is 20 (one message in 20, cycling through the <see cref="CorpusMalformation"/> kinds).</value>
    public int MalformedInterval
    {
        get => _malformedInterval;
        init => _malformedInterval = value >= 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MalformedInterval), value, "Must be zero or positive.");
    }

    /// <summary>Generates the messages <paramref name="startIndex"/> .. <paramref name="startIndex"/> + <paramref name="count"/> - 1, lazily.</summary>
    public IEnumerable<CorpusMessage> Generate(int count, int startIndex = 0)
    {
        ValidateRange(count, startIndex);
        return Enumerable.Range(startIndex, count).Select(CreateMessage);
    }

    /// <summary>Generates tiny (about 400 byte) plain-text messages for big-mailbox tests, lazily.</summary>
    public IEnumerable<CorpusMessage> GenerateSmall(int count, int startIndex = 0)
    {
        ValidateRange(count, startIndex);
        return Enumerable.Range(startIndex, count).Select(CreateSmallMessage);
    }

    /// <summary>Gets the Message-ID of a full corpus message.</summary>
    public string MessageIdFor(int index) => $"corpus.{Seed}.{index}@imaprx.sandbox";

    /// <summary>Gets the Message-ID of a small-mode message.</summary>
    public string SmallMessageIdFor(int index) => $"small.{Seed}.{index}@imaprx.sandbox";

    /// <summary>Generates one full message: multipart/alternative text+HTML, 0-3 attachments, RFC 2047 headers, Cc and Bcc.</summary>
    public CorpusMessage CreateMessage(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var random = new Random(unchecked((Seed * 486_187_739) + index));
        var malformation = MalformationFor(index);

        var from = Pick(random, CorpusVocabulary.People);
        var to = PickDistinct(random, 1 + random.Next(3));
        var cc = PickDistinct(random, random.Next(100) < 40 ? 1 + random.Next(2) : 0);
        var bcc = PickDistinct(random, random.Next(100) < 25 ? 1 : 0);
        var subject = $"{Pick(random, CorpusVocabulary.Subjects)} #{index}";
        var date = DateFor(random, index);

        var (text, html) = Bodies(random, index);
        var attachments = Enumerable.Range(0, AttachmentCountFor(random))
            .Select(n => Attachment(random, index, n))
            .ToList();

        var message = new MimeMessage { MessageId = MessageIdFor(index), Subject = subject, Date = date };
        message.From.Add(from);
        message.To.AddRange(to);
        message.Cc.AddRange(cc);
        message.Bcc.AddRange(bcc);
        message.Headers.Add(IndexHeader, index.ToString(CultureInfo.InvariantCulture));
        message.Body = Body(index, text, html, attachments);
        if (malformation == CorpusMalformation.MissingDate)
        {
            message.Headers.Remove(HeaderId.Date);
        }

        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Unix;
        options.International = malformation == CorpusMalformation.RawEightBitHeader;
        using var stream = new MemoryStream();
        message.WriteTo(options, stream);
        var content = stream.ToArray();
        if (malformation == CorpusMalformation.BrokenBoundary)
        {
            content = BreakBoundaries(content, index);
        }

        var broken = malformation == CorpusMalformation.BrokenBoundary;
        return new CorpusMessage
        {
            Index = index,
            MessageId = message.MessageId,
            Subject = subject,
            From = new[] { from },
            To = to,
            Cc = cc,
            Bcc = bcc,
            Date = malformation == CorpusMalformation.MissingDate ? null : date,
            InternalDate = date,
            TextBody = broken ? null : text,
            HtmlBody = broken ? null : html,
            AttachmentNames = broken ? Array.Empty<string>() : attachments.Select(a => a.FileName!).ToArray(),
            Flags = FlagsFor(random),
            Malformation = malformation,
            Content = content,
        };
    }

    /// <summary>Generates one tiny plain-text message; every third is \Seen and every tenth \Flagged.</summary>
    public CorpusMessage CreateSmallMessage(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var from = new MailboxAddress($"Sender {index % 50}", $"sender{index % 50}@example.com");
        var to = new MailboxAddress("Inbox Owner", "owner@example.com");
        var date = Epoch.AddMinutes(index);
        var subject = $"Small message {index}";
        var text = $"Small message body {index}.\n";
        var id = SmallMessageIdFor(index);
        var raw = string.Create(CultureInfo.InvariantCulture, $"""
            Message-ID: <{id}>
            Date: {DateUtils.FormatDate(date)}
            From: {from.Name} <{from.Address}>
            To: {to.Name} <{to.Address}>
            Subject: {subject}
            {IndexHeader}: {index}
            MIME-Version: 1.0
            Content-Type: text/plain; charset=us-ascii
            Content-Transfer-Encoding: 7bit

            {text}
            """);
        var flags = (index % 3 == 0 ? MessageFlags.Seen : MessageFlags.None) | (index % 10 == 0 ? MessageFlags.Flagged : MessageFlags.None);
        return new CorpusMessage
        {
            Index = index,
            MessageId = id,
            Subject = subject,
            From = new[] { from },
            To = new[] { to },
            Date = date,
            InternalDate = date,
            TextBody = text,
            Flags = flags,
            IsSmall = true,
            Content = Encoding.ASCII.GetBytes(raw.ReplaceLineEndings("\n")),
        };
    }

    private CorpusMalformation MalformationFor(int index) =>
        _malformedInterval > 0 && index % _malformedInterval == _malformedInterval - 1
            ? (CorpusMalformation)(1 + (index / _malformedInterval % 3))
            : CorpusMalformation.None;

    private static DateTimeOffset DateFor(Random random, int index)
    {
        var offset = Pick(random, CorpusVocabulary.Offsets);
        var utc = Epoch.AddMinutes(index * 37L).AddSeconds(random.Next(60));
        return utc.ToOffset(offset);
    }

    private static (string? Text, string? Html) Bodies(Random random, int index)
    {
        // Size classes: most messages are a few KB; one in five is tens of KB of text.
        var paragraphs = random.Next(100) < 80 ? 1 + random.Next(6) : 40 + random.Next(120);
        var text = new StringBuilder();
        var html = new StringBuilder("<html><body>\n");
        for (var p = 0; p < paragraphs; p++)
        {
            var sentences = Enumerable.Range(0, 2 + random.Next(5)).Select(_ => Pick(random, CorpusVocabulary.Sentences)).ToArray();
            text.AppendJoin(' ', sentences).Append("\n\n");
            html.Append("<p>").AppendJoin(' ', sentences.Select(EscapeHtml)).Append("</p>\n");
        }

        html.Append("</body></html>\n");
        // Most are multipart/alternative; a few are text-only or HTML-only.
        return (index % 10) switch
        {
            3 => (text.ToString(), null),
            7 => (null, html.ToString()),
            _ => (text.ToString(), html.ToString()),
        };
    }

    private MimeEntity Body(int index, string? text, string? html, IReadOnlyList<MimePart> attachments)
    {
        MimeEntity main;
        if (text is not null && html is not null)
        {
            main = new MultipartAlternative { TextPart("plain", text), TextPart("html", html) };
            ((Multipart)main).Boundary = $"=_alt_{Seed}_{index}";
        }
        else
        {
            main = text is not null ? TextPart("plain", text) : TextPart("html", html!);
        }

        if (attachments.Count == 0)
        {
            return main;
        }

        var mixed = new Multipart("mixed") { main };
        foreach (var attachment in attachments)
        {
            mixed.Add(attachment);
        }

        mixed.Boundary = $"=_mix_{Seed}_{index}";
        return mixed;
    }

    private static TextPart TextPart(string subtype, string content)
    {
        var part = new TextPart(subtype) { ContentTransferEncoding = ContentEncoding.QuotedPrintable };
        part.SetText(Encoding.UTF8, content);
        return part;
    }

    private static int AttachmentCountFor(Random random) => random.Next(100) switch
    {
        < 45 => 0,
        < 75 => 1,
        < 92 => 2,
        _ => 3,
    };

    private static MimePart Attachment(Random random, int index, int n)
    {
        var (name, mediaType, subType) = Pick(random, CorpusVocabulary.Attachments);
        // Log-uniform from 200 bytes to 200 KB, so a few messages reach a few hundred KB.
        var size = (int)Math.Exp(Math.Log(200) + (random.NextDouble() * (Math.Log(200_000) - Math.Log(200))));
        var bytes = new byte[size];
        if (mediaType == "text")
        {
            for (var i = 0; i < size; i++)
            {
                bytes[i] = i % 64 == 63 ? (byte)'\n' : (byte)('a' + random.Next(26));
            }
        }
        else
        {
            random.NextBytes(bytes);
        }

        return new MimePart(mediaType, subType)
        {
            Content = new MimeContent(new MemoryStream(bytes)),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = $"{index}-{n}-{name}",
        };
    }

    private static MessageFlags FlagsFor(Random random)
    {
        var flags = MessageFlags.None;
        if (random.Next(100) < 60) flags |= MessageFlags.Seen;
        if (random.Next(100) < 15) flags |= MessageFlags.Answered;
        if (random.Next(100) < 10) flags |= MessageFlags.Flagged;
        if (random.Next(100) < 5) flags |= MessageFlags.Draft;
        return flags;
    }

    // The Content-Type keeps announcing the real boundary while every delimiter line uses another one.
    private byte[] BreakBoundaries(byte[] content, int index)
    {
        var text = Encoding.UTF8.GetString(content);
        foreach (var boundary in new[] { $"=_alt_{Seed}_{index}", $"=_mix_{Seed}_{index}" })
        {
            text = text.Replace("\n--" + boundary, "\n--broken" + boundary, StringComparison.Ordinal);
        }

        if (!text.Contains("\n--broken", StringComparison.Ordinal))
        {
            // A single-part message has no boundary to break: make it a multipart with a missing one.
            var split = text.IndexOf("\n\n", StringComparison.Ordinal);
            var headers = text[..split].Replace("Content-Type: text/", "X-Original-Content-Type: text/", StringComparison.Ordinal);
            text = headers + $"\nContent-Type: multipart/mixed; boundary=\"=_never_{index}\"" + text[split..];
        }

        return Encoding.UTF8.GetBytes(text);
    }

    private MailboxAddress[] PickDistinct(Random random, int count) =>
        CorpusVocabulary.People.OrderBy(_ => random.Next()).Take(count).ToArray();

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static string EscapeHtml(string s) =>
        s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static void ValidateRange(int count, int startIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(startIndex);
    }
}
