using System;
using System.Collections.Generic;
using System.Linq;
using MailKit;
using MimeKit;

namespace ImapRx.Model;

/// <summary>Turns MailKit summaries into <see cref="MailMessageInfo"/>.</summary>
internal static class MessageMapper
{
    /// <summary>What every summary fetch asks the server for: nothing more, nothing less.</summary>
    internal const MessageSummaryItems SummaryItems =
        MessageSummaryItems.UniqueId | MessageSummaryItems.Flags | MessageSummaryItems.Envelope |
        MessageSummaryItems.Size | MessageSummaryItems.InternalDate | MessageSummaryItems.BodyStructure;

    internal static MailMessageInfo FromSummary(IMessageSummary summary, string folder, MailFolderType folderType, uint uidValidity)
        => Map(summary.UniqueId.Id, summary, summary.Envelope, summary.Body, folder, folderType, uidValidity);

    /// <summary>
    /// A message whose summary could not be read (<see cref="MessageReadIssues"/>): the flags, dates, size and
    /// MODSEQ from <paramref name="basics"/> (null when even those could not be read), the envelope fields from its
    /// <paramref name="headers"/> (parsed by MimeKit), attachments from <paramref name="body"/>; what is missing stays empty.
    /// </summary>
    internal static MailMessageInfo FromFallback(
        uint uid, IMessageSummary? basics, HeaderList? headers, BodyPart? body, MessageReadIssues issues, string folder, MailFolderType folderType, uint uidValidity)
        => Map(uid, basics, headers is null ? null : EnvelopeOf(headers), body, folder, folderType, uidValidity) with { ReadIssues = issues };

    /// <summary>What ENVELOPE would have said, read from the header by MimeKit (no length limit, RFC 2047 decoded).</summary>
    internal static Envelope EnvelopeOf(HeaderList headers)
    {
        var message = new MimeMessage(headers);
        var envelope = new Envelope
        {
            Subject = message.Subject,
            MessageId = message.MessageId,
            InReplyTo = message.InReplyTo,
        };

        // MimeKit reports a missing or unreadable Date as MinValue; ENVELOPE's reader reports null.
        if (headers.Contains(HeaderId.Date) && message.Date != DateTimeOffset.MinValue)
        {
            envelope.Date = message.Date;
        }

        envelope.From.AddRange(message.From);
        envelope.Sender.AddRange(message.Sender is { } sender ? new[] { sender } : Array.Empty<InternetAddress>());
        envelope.ReplyTo.AddRange(message.ReplyTo);
        envelope.To.AddRange(message.To);
        envelope.Cc.AddRange(message.Cc);
        envelope.Bcc.AddRange(message.Bcc);
        return envelope;
    }

    private static MailMessageInfo Map(uint uid, IMessageSummary? summary, Envelope? envelope, BodyPart? body, string folder, MailFolderType folderType, uint uidValidity)
    {
        var flags = summary?.Flags ?? MessageFlags.None;
        IEnumerable<string> keywords = (IEnumerable<string>?)summary?.Keywords ?? Array.Empty<string>();
        var from = envelope?.From.Mailboxes.FirstOrDefault();
        var isJunkKeyword = keywords.Any(k => k.Equals("$Junk", StringComparison.OrdinalIgnoreCase) || k.Equals("Junk", StringComparison.OrdinalIgnoreCase));
        var isNotJunk = keywords.Any(k => k.Equals("$NotJunk", StringComparison.OrdinalIgnoreCase) || k.Equals("NotJunk", StringComparison.OrdinalIgnoreCase));

        return new MailMessageInfo
        {
            Uid = uid,
            Folder = folder,
            UidValidity = uidValidity,
            MessageId = envelope?.MessageId ?? string.Empty,
            From = from?.Address ?? string.Empty,
            FromName = from?.Name ?? string.Empty,
            To = Addresses(envelope?.To),
            Cc = Addresses(envelope?.Cc),
            Bcc = Addresses(envelope?.Bcc),
            Subject = envelope?.Subject ?? string.Empty,
            ReceivedAt = summary?.InternalDate ?? DateTimeOffset.MinValue,
            SentAt = envelope?.Date,
            IsRead = flags.HasFlag(MessageFlags.Seen),
            IsStarred = flags.HasFlag(MessageFlags.Flagged),
            IsDeleted = flags.HasFlag(MessageFlags.Deleted),
            IsAnswered = flags.HasFlag(MessageFlags.Answered),
            IsDraft = flags.HasFlag(MessageFlags.Draft) || folderType == MailFolderType.Drafts,
            IsSpam = !isNotJunk && (isJunkKeyword || folderType == MailFolderType.Spam),
            IsSent = folderType == MailFolderType.Sent,
            AttachmentCount = CountAttachments(body),
            Size = summary?.Size ?? 0,
            Flags = FlagNames(flags, keywords),
            ModSeq = summary?.ModSeq,
        };
    }

    internal static IReadOnlyList<string> Addresses(InternetAddressList? list)
        => list is null || list.Count == 0
            ? Array.Empty<string>()
            : list.Mailboxes.Select(m => m.Address).ToArray(); // Mailboxes flattens groups.

    internal static IReadOnlyCollection<string> FlagNames(MessageFlags flags, IEnumerable<string> keywords)
    {
        if (keywords is IReadOnlyCollection<string> { Count: 0 } || keywords is ICollection<string> { Count: 0 })
        {
            // No keywords (most messages): one shared, read-only list per combination of system flags.
            var key = (int)(flags & SystemFlags);
            return SystemFlagNames[key] ??= new System.Collections.ObjectModel.ReadOnlyCollection<string>(BuildFlagNames((MessageFlags)key, Array.Empty<string>()).ToArray());
        }

        return BuildFlagNames(flags, keywords);
    }

    private const MessageFlags SystemFlags = MessageFlags.Seen | MessageFlags.Answered | MessageFlags.Flagged | MessageFlags.Deleted | MessageFlags.Draft | MessageFlags.Recent;

    private static readonly IReadOnlyCollection<string>?[] SystemFlagNames = new IReadOnlyCollection<string>?[(int)SystemFlags + 1];

    private static List<string> BuildFlagNames(MessageFlags flags, IEnumerable<string> keywords)
    {
        var names = new List<string>();
        if (flags.HasFlag(MessageFlags.Seen))
        {
            names.Add("\\Seen");
        }

        if (flags.HasFlag(MessageFlags.Answered))
        {
            names.Add("\\Answered");
        }

        if (flags.HasFlag(MessageFlags.Flagged))
        {
            names.Add("\\Flagged");
        }

        if (flags.HasFlag(MessageFlags.Deleted))
        {
            names.Add("\\Deleted");
        }

        if (flags.HasFlag(MessageFlags.Draft))
        {
            names.Add("\\Draft");
        }

        if (flags.HasFlag(MessageFlags.Recent))
        {
            names.Add("\\Recent");
        }

        names.AddRange(keywords);
        return names;
    }

    /// <summary>Counts attachment parts by <see cref="AttachmentRule"/> (the paper-clip rule).</summary>
    internal static int CountAttachments(BodyPart? body) => body is null ? 0 : Count(body, isRelatedResource: false);

    private static int Count(BodyPart part, bool isRelatedResource)
    {
        switch (part)
        {
            case BodyPartMultipart multipart:
                var related = AttachmentRule.IsRelated(multipart.ContentType.MediaSubtype ?? string.Empty);
                var count = 0;
                for (var i = 0; i < multipart.BodyParts.Count; i++)
                {
                    count += Count(multipart.BodyParts[i], related && i > 0);
                }

                return count;
            case BodyPartBasic basic:
                return AttachmentRule.Counts(
                    basic.ContentType.MediaType ?? string.Empty,
                    basic.ContentType.MediaSubtype ?? string.Empty,
                    basic.ContentDisposition?.Disposition,
                    !string.IsNullOrEmpty(basic.ContentDisposition?.FileName) || !string.IsNullOrEmpty(basic.ContentType.Name),
                    isRelatedResource) ? 1 : 0;
            default:
                return 0;
        }
    }
}
