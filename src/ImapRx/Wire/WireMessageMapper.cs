using System;
using System.Collections.Generic;
using ImapRx.Model;
using MailKit;
using System.Runtime.CompilerServices;

namespace ImapRx.Wire;

/// <summary>
/// Turns a <see cref="WireSummary"/> into <see cref="MailMessageInfo"/> by the same rules as
/// <see cref="MessageMapper.FromSummary"/>. A summary missing an item ImapRx asked for is rejected, never filled in.
/// </summary>
internal static class WireMessageMapper
{
    [MethodImpl(WireJit.Hot)]
    internal static MailMessageInfo ToInfo(WireSummary summary, string folder, MailFolderType folderType, uint uidValidity, bool expectModSeq)
    {
        if (summary.Uid == 0 || summary.Flags is null || !summary.HasInternalDate || summary.Size is null ||
            summary.Envelope is null || summary.AttachmentCount is null || (expectModSeq && summary.ModSeq is null))
        {
            throw WireCursor.Reject("a FETCH response without every item asked for");
        }

        var envelope = summary.Envelope;
        var flags = summary.Flags.Value;
        var keywords = summary.KeywordsOrNone;
        var isJunkKeyword = false;
        var isNotJunk = false;
        foreach (var keyword in keywords)
        {
            isJunkKeyword |= keyword.Equals("$Junk", StringComparison.OrdinalIgnoreCase) || keyword.Equals("Junk", StringComparison.OrdinalIgnoreCase);
            isNotJunk |= keyword.Equals("$NotJunk", StringComparison.OrdinalIgnoreCase) || keyword.Equals("NotJunk", StringComparison.OrdinalIgnoreCase);
        }

        return new MailMessageInfo
        {
            Uid = summary.Uid,
            Folder = folder,
            UidValidity = uidValidity,
            MessageId = envelope.MessageId ?? string.Empty,
            From = envelope.FromAddress ?? string.Empty,
            FromName = envelope.FromName ?? string.Empty,
            To = envelope.To,
            Cc = envelope.Cc,
            Bcc = envelope.Bcc,
            Subject = envelope.Subject ?? string.Empty,
            ReceivedAt = summary.InternalDate ?? DateTimeOffset.MinValue,
            SentAt = envelope.Date,
            IsRead = (flags & MessageFlags.Seen) != 0,
            IsStarred = (flags & MessageFlags.Flagged) != 0,
            IsDeleted = (flags & MessageFlags.Deleted) != 0,
            IsAnswered = (flags & MessageFlags.Answered) != 0,
            IsDraft = (flags & MessageFlags.Draft) != 0 || folderType == MailFolderType.Drafts,
            IsSpam = !isNotJunk && (isJunkKeyword || folderType == MailFolderType.Spam),
            IsSent = folderType == MailFolderType.Sent,
            AttachmentCount = summary.AttachmentCount.Value,
            Size = summary.Size.Value,
            Flags = MessageMapper.FlagNames(flags, keywords),
            ModSeq = summary.ModSeq,
        };
    }
}
