using MailKit;
using MimeKit;

namespace ImapRx.Sandbox.Server;

/// <summary>
/// One generated message: its exact bytes plus the values a correct reader must get back from them.
/// Text and HTML bodies use LF line endings; IMAP serves CRLF, so compare through <see cref="NormalizeNewLines"/>.
/// </summary>
public sealed class CorpusMessage
{
    /// <summary>Gets the position in the corpus, also carried in the <c>X-Corpus-Index</c> header.</summary>
    public int Index { get; internal init; }

    /// <summary>Gets the Message-ID without angle brackets, as MimeKit's <c>MimeMessage.MessageId</c> reports it.</summary>
    public string MessageId { get; internal init; } = string.Empty;

    /// <summary>Gets the decoded subject.</summary>
    public string Subject { get; internal init; } = string.Empty;

    public IReadOnlyList<MailboxAddress> From { get; internal init; } = Array.Empty<MailboxAddress>();

    public IReadOnlyList<MailboxAddress> To { get; internal init; } = Array.Empty<MailboxAddress>();

    public IReadOnlyList<MailboxAddress> Cc { get; internal init; } = Array.Empty<MailboxAddress>();

    /// <summary>Gets the Bcc recipients; the header is kept, as in a sender's own copy in Sent.</summary>
    public IReadOnlyList<MailboxAddress> Bcc { get; internal init; } = Array.Empty<MailboxAddress>();

    /// <summary>Gets the <c>Date</c> header, or null for <see cref="CorpusMalformation.MissingDate"/>.</summary>
    public DateTimeOffset? Date { get; internal init; }

    /// <summary>Gets the date the Maildir writer stamps as INTERNALDATE (the file's mtime), whole seconds.</summary>
    public DateTimeOffset InternalDate { get; internal init; }

    /// <summary>Gets the text/plain body with LF line endings, or null when there is none.</summary>
    public string? TextBody { get; internal init; }

    /// <summary>Gets the text/html body with LF line endings, or null when there is none.</summary>
    public string? HtmlBody { get; internal init; }

    /// <summary>Gets the file names of the attachments, in order.</summary>
    public IReadOnlyList<string> AttachmentNames { get; internal init; } = Array.Empty<string>();

    /// <summary>Gets the number of parts with <c>Content-Disposition: attachment</c>.</summary>
    public int AttachmentCount => AttachmentNames.Count;

    /// <summary>Gets the IMAP flags the message is stored with.</summary>
    public MessageFlags Flags { get; internal init; }

    /// <summary>Gets how the message is deliberately broken, if at all.</summary>
    public CorpusMalformation Malformation { get; internal init; }

    /// <summary>Gets a value indicating whether this is a tiny message from the small-message mode.</summary>
    public bool IsSmall { get; internal init; }

    /// <summary>Gets the exact bytes, with LF line endings as Maildir stores them.</summary>
    public ReadOnlyMemory<byte> Content { get; internal init; }

    /// <summary>Gets the size of <see cref="Content"/> in bytes (IMAP's RFC822.SIZE counts CRLF, so it is larger).</summary>
    public int Size => Content.Length;

    /// <summary>
    /// A message of exactly these bytes (LF line endings, as Maildir stores them), for what the generator never makes:
    /// an empty file, a lone header line, bytes that are no message at all. Only <see cref="Content"/>,
    /// <see cref="InternalDate"/> and <see cref="Subject"/> (the caller's label) are set.
    /// </summary>
    public static CorpusMessage Raw(ReadOnlyMemory<byte> content, string label, DateTimeOffset? internalDate = null)
        => new()
        {
            Content = content,
            Subject = label ?? string.Empty,
            InternalDate = internalDate ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
            Malformation = CorpusMalformation.None,
        };

    /// <summary>Parses <see cref="Content"/> into a new <see cref="MimeMessage"/>, e.g. to APPEND it.</summary>
    public MimeMessage ToMimeMessage()
    {
        using var stream = new MemoryStream(Content.ToArray(), writable: false);
        return MimeMessage.Load(stream);
    }

    /// <summary>Turns CRLF (and lone CR) into LF, so bodies read over IMAP compare with the generated ones.</summary>
    public static string? NormalizeNewLines(string? text) =>
        text?.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');

    /// <inheritdoc />
    public override string ToString() => $"#{Index} <{MessageId}> {Subject}";
}
