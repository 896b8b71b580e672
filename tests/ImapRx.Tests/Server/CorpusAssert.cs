using ImapRx.Sandbox.Server;
using MailKit;
using MimeKit;

namespace ImapRx.Tests.Server;

/// <summary>Compares what a reader got back with what the corpus generator wrote, field by field.</summary>
internal static class CorpusAssert
{
    internal static void MessageMatches(CorpusMessage expected, MimeMessage actual)
    {
        Assert.Equal(expected.Index.ToString(), actual.Headers[CorpusGenerator.IndexHeader]);
        Assert.Equal(expected.MessageId, actual.MessageId);
        Assert.Equal(expected.Subject, actual.Subject);
        AddressesEqual(expected.From, actual.From);
        AddressesEqual(expected.To, actual.To);
        AddressesEqual(expected.Cc, actual.Cc);
        AddressesEqual(expected.Bcc, actual.Bcc);
        Assert.Equal(expected.Date ?? DateTimeOffset.MinValue, actual.Date);
        Assert.Equal(expected.TextBody, CorpusMessage.NormalizeNewLines(actual.TextBody));
        Assert.Equal(expected.HtmlBody, CorpusMessage.NormalizeNewLines(actual.HtmlBody));
        Assert.Equal(expected.AttachmentNames, actual.Attachments.Select(a => a.ContentDisposition?.FileName ?? a.ContentType.Name));
    }

    internal static void EnvelopeMatches(CorpusMessage expected, IMessageSummary actual)
    {
        var envelope = actual.Envelope;
        Assert.NotNull(envelope);
        Assert.Equal(expected.MessageId, envelope.MessageId);
        Assert.Equal(expected.Subject, envelope.Subject);
        AddressesEqual(expected.From, envelope.From);
        AddressesEqual(expected.To, envelope.To);
        AddressesEqual(expected.Cc, envelope.Cc);
        AddressesEqual(expected.Bcc, envelope.Bcc);
        Assert.Equal(expected.Date, envelope.Date);
        Assert.Equal(expected.InternalDate, actual.InternalDate);
        Assert.Equal(expected.Flags, actual.Flags & ~MessageFlags.Recent);
    }

    private static void AddressesEqual(IReadOnlyList<MailboxAddress> expected, InternetAddressList actual)
    {
        var actualMailboxes = actual.Mailboxes.Select(m => (m.Name ?? string.Empty, m.Address)).ToArray();
        Assert.Equal(expected.Select(m => (m.Name ?? string.Empty, m.Address)).ToArray(), actualMailboxes);
    }
}
