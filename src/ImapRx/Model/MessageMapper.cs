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
    {
        var envelope = summary.Envelope;
        var flags = summary.Flags ?? MessageFlags.None;
        IEnumerable<string> keywords = (IEnumerable<string>?)summary.Keywords ?? Array.Empty<string>();
        var from = envelope?.From.Mailboxes.FirstOrDefault();
        var isJunkKeyword = keywords.Any(k => k.Equals("$Junk", StringComparison.OrdinalIgnoreCase) || k.Equals("Junk", StringComparison.OrdinalIgnoreCase));
        var isNotJunk = keywords.Any(k => k.Equals("$NotJunk", StringComparison.OrdinalIgnoreCase) || k.Equals("NotJunk", StringComparison.OrdinalIgnoreCase));

        return new MailMessageInfo
        {
            Uid = summary.UniqueId.Id,
            Folder = folder,
            UidValidity = uidValidity,
            MessageId = envelope?.MessageId ?? string.Empty,
            From = from?.Address ?? string.Empty,
            FromName = from?.Name ?? string.Empty,
            To = Addresses(envelope?.To),
            Cc = Addresses(envelope?.Cc),
            Bcc = Addresses(envelope?.Bcc),
            Subject = envelope?.Subject ?? string.Empty,
            ReceivedAt = summary.InternalDate ?? DateTimeOffset.MinValue,
            SentAt = envelope?.Date,
            IsRead = flags.HasFlag(MessageFlags.Seen),
            IsStarred = flags.HasFlag(MessageFlags.Flagged),
            IsDeleted = flags.HasFlag(MessageFlags.Deleted),
            IsAnswered = flags.HasFlag(MessageFlags.Answered),
            IsDraft = flags.HasFlag(MessageFlags.Draft) || folderType == MailFolderType.Drafts,
            IsSpam = !isNotJunk && (isJunkKeyword || folderType == MailFolderType.Spam),
            IsSent = folderType == MailFolderType.Sent,
            AttachmentCount = CountAttachments(summary.Body),
            Size = summary.Size ?? 0,
            Flags = FlagNames(flags, keywords),
            ModSeq = summary.ModSeq,
        };
    }

    internal static IReadOnlyList<string> Addresses(InternetAddressList? list)
        => list is null || list.Count == 0
            ? Array.Empty<string>()
            : list.Mailboxes.Select(m => m.Address).ToArray(); // Mailboxes flattens groups.

    internal static IReadOnlyCollection<string> FlagNames(MessageFlags flags, IEnumerable<string> keywords)
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

    /// <summary>Counts attachment parts: a disposition of attachment, or a file name, excluding the message's own text/HTML bodies.</summary>
    internal static int CountAttachments(BodyPart? body)
    {
        if (body is null)
        {
            return 0;
        }

        var count = 0;
        foreach (var part in Walk(body))
        {
            if (part is BodyPartBasic basic && IsAttachment(basic))
            {
                count++;
            }
        }

        return count;
    }

    private static bool IsAttachment(BodyPartBasic part)
    {
        if (part.ContentDisposition is { } disposition)
        {
            if (disposition.IsAttachment)
            {
                return true;
            }

            if (!string.IsNullOrEmpty(disposition.FileName) && !part.ContentType.IsMimeType("text", "*"))
            {
                return true;
            }
        }

        return !string.IsNullOrEmpty(part.ContentType.Name) && !part.ContentType.IsMimeType("text", "plain") && !part.ContentType.IsMimeType("text", "html");
    }

    private static IEnumerable<BodyPart> Walk(BodyPart part)
    {
        yield return part;
        if (part is BodyPartMultipart multipart)
        {
            foreach (var child in multipart.BodyParts)
            {
                foreach (var descendant in Walk(child))
                {
                    yield return descendant;
                }
            }
        }
    }
}
