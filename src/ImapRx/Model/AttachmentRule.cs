using System;

namespace ImapRx.Model;

/// <summary>
/// The one rule for <see cref="MailMessageInfo.AttachmentCount"/>, used by the MailKit path
/// (<see cref="MessageMapper"/>) and the native reader (<c>Wire.WireBodyStructure</c>) alike: what a mail client's
/// paper-clip would show. Multipart containers are never counted (their parts are looked at); a part counts when
/// the first of these that applies says so:
/// <list type="number">
/// <item>a forwarded or returned message (<c>message/rfc822</c>, <c>message/global</c>): one attachment, whatever its
/// disposition; the parts inside it are not counted;</item>
/// <item>a signature or encryption control part (<c>application/pkcs7-signature</c>,
/// <c>application/x-pkcs7-signature</c>, <c>application/pgp-signature</c>, <c>application/pgp-encrypted</c>):
/// not counted (a client shows a seal, not a clip);</item>
/// <item><c>Content-Disposition: attachment</c>, or a disposition that is neither <c>attachment</c> nor
/// <c>inline</c> (RFC 2183 §2.8 says to treat an unknown one as attachment): counted;</item>
/// <item>a part of a <c>multipart/related</c> other than its first (root) part: not counted (an image or style the
/// HTML shows in place);</item>
/// <item>a file name, in <c>Content-Disposition</c>'s <c>filename</c> or <c>Content-Type</c>'s <c>name</c>, plain,
/// RFC 2231 or RFC 2047 encoded, on a part of any type (<c>text/csv; name="data.csv"</c> and
/// <c>inline; filename="inline.csv"</c> alike; <c>winmail.dat</c> too): counted;</item>
/// <item>a text part without a file name (<c>text/plain</c>, <c>text/html</c>, <c>text/csv</c>, a
/// <c>text/calendar</c> invitation, <c>text/rfc822-headers</c>): not counted, it is text shown in the message;</item>
/// <item>the report parts of a delivery or read report (<c>message/delivery-status</c>,
/// <c>message/disposition-notification</c>, <c>message/feedback-report</c>): not counted;</item>
/// <item>anything else (an image, a PDF, a file without a name): counted.</item>
/// </list>
/// </summary>
internal static class AttachmentRule
{
    /// <summary>Whether one non-multipart part counts.</summary>
    /// <param name="mediaType">The media type, e.g. <c>text</c>.</param>
    /// <param name="subtype">The media subtype, e.g. <c>csv</c>.</param>
    /// <param name="disposition">The disposition's value (<c>attachment</c>, <c>inline</c>, ...), or null without one.</param>
    /// <param name="hasFileName">A <c>filename</c> or <c>name</c> parameter with a non-empty (decoded) value.</param>
    /// <param name="isRelatedResource">The part is a direct child of a <c>multipart/related</c>, not its first.</param>
    internal static bool Counts(string mediaType, string subtype, string? disposition, bool hasFileName, bool isRelatedResource)
    {
        if (Is(mediaType, "message") && (Is(subtype, "rfc822") || Is(subtype, "global")))
        {
            return true;
        }

        if (Is(mediaType, "application") && (Is(subtype, "pkcs7-signature") || Is(subtype, "x-pkcs7-signature") || Is(subtype, "pgp-signature") || Is(subtype, "pgp-encrypted")))
        {
            return false;
        }

        if (disposition is not null && !Is(disposition, "inline"))
        {
            return true; // attachment, or a disposition nobody knows (RFC 2183 §2.8)
        }

        if (isRelatedResource)
        {
            return false;
        }

        if (hasFileName)
        {
            return true;
        }

        if (Is(mediaType, "text"))
        {
            return false;
        }

        return !(Is(mediaType, "message") && (Is(subtype, "delivery-status") || Is(subtype, "disposition-notification") || Is(subtype, "feedback-report")));
    }

    /// <summary>True for a <c>multipart/related</c> subtype, whose parts after the first are resources of the first.</summary>
    internal static bool IsRelated(string subtype) => Is(subtype, "related");

    private static bool Is(string value, string expected) => value.Equals(expected, StringComparison.OrdinalIgnoreCase);
}
