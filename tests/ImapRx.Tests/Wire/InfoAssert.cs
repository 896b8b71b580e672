using ImapRx.Model;

namespace ImapRx.Tests.Wire;

/// <summary>Field-by-field equality of two <see cref="MailMessageInfo"/>s, naming the first field that differs.</summary>
internal static class InfoAssert
{
    internal static string? FirstDifference(MailMessageInfo expected, MailMessageInfo actual)
    {
        if (expected.Uid != actual.Uid) return $"Uid {expected.Uid} != {actual.Uid}";
        var where = $"UID {expected.Uid}: ";
        if (expected.Folder != actual.Folder) return where + "Folder";
        if (expected.UidValidity != actual.UidValidity) return where + "UidValidity";
        if (expected.MessageId != actual.MessageId) return where + $"MessageId '{expected.MessageId}' != '{actual.MessageId}'";
        if (expected.From != actual.From) return where + $"From '{expected.From}' != '{actual.From}'";
        if (expected.FromName != actual.FromName) return where + $"FromName '{expected.FromName}' != '{actual.FromName}'";
        if (!expected.To.SequenceEqual(actual.To)) return where + $"To [{string.Join(",", expected.To)}] != [{string.Join(",", actual.To)}]";
        if (!expected.Cc.SequenceEqual(actual.Cc)) return where + "Cc";
        if (!expected.Bcc.SequenceEqual(actual.Bcc)) return where + "Bcc";
        if (expected.Subject != actual.Subject) return where + $"Subject '{expected.Subject}' != '{actual.Subject}'";
        if (expected.TextBody != actual.TextBody) return where + "TextBody";
        if (expected.HtmlBody != actual.HtmlBody) return where + "HtmlBody";
        if (expected.ReceivedAt != actual.ReceivedAt || expected.ReceivedAt.Offset != actual.ReceivedAt.Offset) return where + $"ReceivedAt {expected.ReceivedAt:O} != {actual.ReceivedAt:O}";
        if (expected.SentAt != actual.SentAt || expected.SentAt?.Offset != actual.SentAt?.Offset) return where + $"SentAt {expected.SentAt:O} != {actual.SentAt:O}";
        if (expected.IsRead != actual.IsRead) return where + "IsRead";
        if (expected.IsStarred != actual.IsStarred) return where + "IsStarred";
        if (expected.IsDeleted != actual.IsDeleted) return where + "IsDeleted";
        if (expected.IsAnswered != actual.IsAnswered) return where + "IsAnswered";
        if (expected.IsDraft != actual.IsDraft) return where + "IsDraft";
        if (expected.IsSpam != actual.IsSpam) return where + "IsSpam";
        if (expected.IsSent != actual.IsSent) return where + "IsSent";
        if (expected.AttachmentCount != actual.AttachmentCount) return where + $"AttachmentCount {expected.AttachmentCount} != {actual.AttachmentCount}";
        if (expected.Size != actual.Size) return where + "Size";
        if (!expected.Flags.SequenceEqual(actual.Flags)) return where + $"Flags [{string.Join(",", expected.Flags)}] != [{string.Join(",", actual.Flags)}]";
        if (expected.ModSeq != actual.ModSeq) return where + "ModSeq";
        return null;
    }

    internal static void Equal(IReadOnlyList<MailMessageInfo> expected, IReadOnlyList<MailMessageInfo> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var difference = FirstDifference(expected[i], actual[i]);
            Assert.True(difference is null, difference);
        }
    }
}
