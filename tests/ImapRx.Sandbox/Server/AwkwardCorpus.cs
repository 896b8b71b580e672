using System.Globalization;
using System.Text;
using MimeKit;

namespace ImapRx.Sandbox.Server;

/// <summary>
/// One deliberately awkward but legal message: its bytes, and what a reader must get back from it.
/// </summary>
/// <param name="Name">What it is, also in its Message-ID (<c>awkward.NAME@imaprx.sandbox</c>).</param>
/// <param name="Raw">The message, CRLF line ends.</param>
/// <param name="Subject">The decoded subject a reader must report, or null when not pinned (broken encodings).</param>
/// <param name="SummaryTooBig">Its ENVELOPE needs a string literal above 4,096 bytes (MailKit 4.18 refuses those).</param>
/// <param name="AttachmentCount">What the paper-clip rule counts, or null when not pinned.</param>
public sealed record AwkwardMessage(string Name, byte[] Raw, string? Subject, bool SummaryTooBig, int? AttachmentCount)
{
    /// <summary>The Message-ID without angle brackets.</summary>
    public string MessageId => $"awkward.{Name}@imaprx.sandbox";

    /// <summary>The message as MimeKit parses it (for APPEND; MimeKit writes an unchanged message back byte for byte).</summary>
    public MimeMessage Parse()
    {
        using var stream = new MemoryStream(Raw, writable: false);
        return MimeMessage.Load(stream);
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>
/// Generates the awkward folder of issue 19 (folded subjects of several KB, a 5,000-character display name,
/// 200 recipients, odd dates, groups, RFC 2047 and RFC 2231 in their forms, 40-level multiparts), mixed with plain
/// messages, and the table of part shapes the attachment rule is pinned by. Deterministic: no randomness.
/// </summary>
public static class AwkwardCorpus
{
    private static int s_boundary;

    /// <summary>The awkward folder, in append order (UIDs follow it).</summary>
    public static IReadOnlyList<AwkwardMessage> Folder()
    {
        var list = new List<AwkwardMessage>();
        var plain = 0;
        void Plain() => list.Add(Simple($"plain-{++plain}", $"Plain message {plain}"));

        Plain();
        list.Add(FoldedSubject("folded-subject-7k", 7 * 1024));
        Plain();
        Plain();
        list.Add(LongDisplayName("display-name-5000", "Name", summaryTooBig: false));
        list.Add(LongDisplayName("display-name-5000-utf8", "Ñame", summaryTooBig: true));
        list.Add(Recipients());
        Plain();
        foreach (var (name, date) in new[]
        {
            ("date-impossible", "Tue, 31 Feb 2026 25:61:61 +9999"),
            ("date-epoch", "Thu, 1 Jan 1970 00:00:00 +0000"),
            ("date-far-future", "Fri, 31 Dec 9999 23:59:59 -1200"),
            ("date-words", "the day after tomorrow"),
            ("date-two-digit-year", "1 Jan 70 00:00 GMT"),
        })
        {
            list.Add(Build(name, $"Odd date {name}", new[] { "Date: " + date }, TextBody("odd date")));
        }

        list.Add(Build("date-missing", "No date at all", Array.Empty<string>(), TextBody("no date"), withDate: false));
        list.Add(Build("group-empty", "Undisclosed", new[] { "To: undisclosed-recipients:;" }, TextBody("group"), withTo: false));
        list.Add(Build("group-mixed", "Group and mailbox", new[] { "To: Team: a@example.org, \"B\" <b@example.org>;, c@example.org", "Cc: Nobody:;" }, TextBody("group"), withTo: false));
        Plain();
        list.Add(Build("rfc2047-b-q", "Äpfel und Birnen", new[] { "Subject: =?UTF-8?B?w4RwZmVs?= =?UTF-8?Q?_und_Birnen?=" }, TextBody("2047"), withSubject: false));
        list.Add(Build("rfc2047-latin1", "Café", new[] { "Subject: =?ISO-8859-1?Q?Caf=E9?=", "From: =?ISO-8859-1?Q?Andr=E9?= <andre@example.org>" }, TextBody("2047"), withSubject: false, withFrom: false));
        list.Add(Build("rfc2047-broken", null, new[] { "Subject: =?UTF-8?X?not-an-encoding?= and =?unknown-charset?B?w4Q=?=" }, TextBody("2047"), withSubject: false));
        list.Add(EncodedLongSubject());
        list.Add(Rfc2231Names());
        list.Add(Nested(40));
        Plain();
        list.Add(SubjectAndFileNameTooBig());
        Plain();
        return list;
    }

    /// <summary>
    /// One message per part shape, each with the count the paper-clip rule gives it (see MailMessageInfo.AttachmentCount).
    /// </summary>
    public static IReadOnlyList<AwkwardMessage> AttachmentShapes()
    {
        var pdf = "JVBERi0xLjQKJcfs\r\n";
        var png = "iVBORw0KGgo=\r\n";
        string Part(string headers, string body) => headers + "\r\n\r\n" + body;
        string B64(string type, string extra) => $"Content-Type: {type}\r\nContent-Transfer-Encoding: base64{extra}";
        var text = Part("Content-Type: text/plain; charset=utf-8", "See the part.\r\n");

        var shapes = new (string Name, int Count, string Body)[]
        {
            ("disposition-attachment", 1, Mixed(text, Part(B64("application/pdf", "\r\nContent-Disposition: attachment; filename=\"a.pdf\""), pdf))),
            ("disposition-attachment-no-name", 1, Mixed(text, Part(B64("application/octet-stream", "\r\nContent-Disposition: attachment"), pdf))),
            ("disposition-inline-named-image", 1, Mixed(text, Part(B64("image/png", "\r\nContent-Disposition: inline; filename=\"photo.png\""), png))),
            ("disposition-inline-unnamed-image", 1, Mixed(text, Part(B64("image/png", "\r\nContent-Disposition: inline"), png))),
            ("disposition-none-unnamed-file", 1, Mixed(text, Part(B64("application/octet-stream", string.Empty), pdf))),
            ("disposition-none-content-type-name", 1, Mixed(text, Part(B64("application/octet-stream; name=\"blob.bin\"", string.Empty), pdf))),
            ("disposition-unknown", 1, Mixed(text, Part("Content-Type: text/plain\r\nContent-Disposition: x-unheard-of", "odd\r\n"))),
            ("text-plain-attachment", 1, Mixed(text, Part("Content-Type: text/plain\r\nContent-Disposition: attachment", "notes\r\n"))),
            ("text-plain-inline-filename", 1, Mixed(text, Part("Content-Type: text/plain\r\nContent-Disposition: inline; filename=\"notes.txt\"", "notes\r\n"))),
            ("text-csv-name", 1, Mixed(text, Part("Content-Type: text/csv; name=\"data.csv\"", "a,b\r\n"))),
            ("text-csv-inline-filename", 1, Mixed(text, Part("Content-Type: text/csv\r\nContent-Disposition: inline; filename=\"inline.csv\"", "a,b\r\n"))),
            ("text-csv-bare", 0, Mixed(text, Part("Content-Type: text/csv", "a,b\r\n"))),
            ("rfc2231-filename", 1, Mixed(text, Part(B64("application/pdf", "\r\nContent-Disposition: attachment; filename*=UTF-8''%E2%82%AC%20rates.pdf"), pdf))),
            ("rfc2231-inline-continued-filename", 1, Mixed(text, Part(B64("application/pdf", "\r\nContent-Disposition: inline;\r\n filename*0*=UTF-8''long%20;\r\n filename*1*=name.pdf"), pdf))),
            ("rfc2047-name", 1, Mixed(text, Part(B64("application/pdf; name=\"=?UTF-8?B?w6TDtsO8LnBkZg==?=\"", string.Empty), pdf))),
            ("forwarded-message", 1, Mixed(text, Part("Content-Type: message/rfc822", ForwardedMessage()))),
            ("forwarded-message-attachment", 1, Mixed(text, Part("Content-Type: message/rfc822; name=\"fwd.eml\"\r\nContent-Disposition: attachment; filename=\"fwd.eml\"", ForwardedMessage()))),
            ("calendar-invitation", 0, Multipart("alternative", text, Part("Content-Type: text/calendar; method=REQUEST; charset=utf-8", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"))),
            ("calendar-file", 1, Mixed(text, Part("Content-Type: text/calendar; name=\"invite.ics\"\r\nContent-Disposition: attachment; filename=\"invite.ics\"", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"))),
            ("smime-signature", 0, Multipart("signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256", text, Part(B64("application/pkcs7-signature; name=\"smime.p7s\"", "\r\nContent-Disposition: attachment; filename=\"smime.p7s\""), pdf))),
            ("pgp-signature", 0, Multipart("signed; protocol=\"application/pgp-signature\"; micalg=pgp-sha256", text, Part("Content-Type: application/pgp-signature; name=\"signature.asc\"\r\nContent-Description: OpenPGP digital signature", "-----BEGIN PGP SIGNATURE-----\r\n-----END PGP SIGNATURE-----\r\n"))),
            ("pgp-signed-with-attachment", 1, Multipart("signed; protocol=\"application/pgp-signature\"; micalg=pgp-sha256", Mixed(text, Part(B64("application/pdf", "\r\nContent-Disposition: attachment; filename=\"a.pdf\""), pdf)), Part("Content-Type: application/pgp-signature; name=\"signature.asc\"", "-----BEGIN PGP SIGNATURE-----\r\n-----END PGP SIGNATURE-----\r\n"))),
            ("winmail-dat", 1, Mixed(text, Part(B64("application/ms-tnef; name=\"winmail.dat\"", "\r\nContent-Disposition: attachment; filename=\"winmail.dat\""), pdf))),
            ("delivery-report", 1, Multipart("report; report-type=delivery-status", text, Part("Content-Type: message/delivery-status", "Reporting-MTA: dns; mx.example.org\r\n\r\nFinal-Recipient: rfc822; gone@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n"), Part("Content-Type: message/rfc822", ForwardedMessage()))),
            ("delivery-report-headers-only", 0, Multipart("report; report-type=delivery-status", text, Part("Content-Type: message/delivery-status", "Reporting-MTA: dns; mx.example.org\r\n\r\nFinal-Recipient: rfc822; gone@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n"), Part("Content-Type: text/rfc822-headers", "Subject: lost\r\n"))),
            ("read-receipt", 0, Multipart("report; report-type=disposition-notification", text, Part("Content-Type: message/disposition-notification", "Final-Recipient: rfc822; ann@example.org\r\nDisposition: manual-action/MDN-sent-manually; displayed\r\n"))),
            ("related-inline-image", 0, Multipart("related", Part("Content-Type: text/html; charset=utf-8", "<img src=\"cid:logo\">\r\n"), Part(B64("image/png", "\r\nContent-ID: <logo>\r\nContent-Disposition: inline; filename=\"logo.png\""), png))),
            ("related-image-as-attachment", 1, Multipart("related", Part("Content-Type: text/html; charset=utf-8", "<p>hi</p>\r\n"), Part(B64("image/png", "\r\nContent-Disposition: attachment; filename=\"logo.png\""), png))),
            ("alternative-bodies", 0, Multipart("alternative", text, Part("Content-Type: text/html; charset=utf-8", "<p>See the part.</p>\r\n"))),
            ("single-part-pdf", 1, Part(B64("application/pdf", "\r\nContent-Disposition: attachment; filename=\"whole.pdf\""), pdf)),
        };

        var list = new List<AwkwardMessage>(shapes.Length + 1);
        foreach (var (name, count, body) in shapes)
        {
            list.Add(Build(name, "Shape " + name, Array.Empty<string>(), body, expectedAttachments: count));
        }

        list.Add(Build("single-part-text", "Shape single-part-text", Array.Empty<string>(), TextBody("just text"), expectedAttachments: 0));
        return list;
    }

    private static AwkwardMessage Simple(string name, string subject) => Build(name, subject, Array.Empty<string>(), TextBody(subject));

    private static AwkwardMessage FoldedSubject(string name, int bytes)
    {
        var words = new List<string>();
        for (var i = 0; words.Sum(w => w.Length + 1) < bytes; i++)
        {
            words.Add("word" + i.ToString("D5", CultureInfo.InvariantCulture));
        }

        return Build(name, string.Join(" ", words), new[] { "Subject: " + Fold(words) }, TextBody("long subject"), withSubject: false, summaryTooBig: true);
    }

    private static AwkwardMessage EncodedLongSubject()
    {
        // 6,000 characters of non-ASCII text, RFC 2047 encoded word by word: about 9 KB on the wire.
        var words = Enumerable.Range(0, 600).Select(i => "Grüße" + i.ToString("D4", CultureInfo.InvariantCulture)).ToList();
        var encoded = words.Select(w => "=?UTF-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(w + " ")) + "?=").ToList();
        return Build("rfc2047-long-subject", string.Join(" ", words) + " ", new[] { "Subject: " + Fold(encoded) }, TextBody("encoded long subject"), withSubject: false, summaryTooBig: true);
    }

    /// <summary>
    /// A 5,000-character display name. Dovecot sends an ASCII one as a quoted string, which MailKit reads at any
    /// length; one with 8-bit characters (RFC 6532 UTF-8, unencoded) goes out as a literal, which MailKit refuses.
    /// </summary>
    private static AwkwardMessage LongDisplayName(string name, string unit, bool summaryTooBig)
    {
        var display = string.Concat(Enumerable.Repeat(unit, 5000 / unit.Length));
        return Build(name, "A very long display name", new[] { $"From: \"{display}\" <long.name@example.org>" }, TextBody("long name"), withFrom: false, summaryTooBig: summaryTooBig);
    }

    private static AwkwardMessage Recipients()
    {
        var to = Enumerable.Range(1, 200).Select(i => $"\"Recipient {i}\" <r{i}@example.org>").ToList();
        return Build("recipients-200", "Two hundred recipients", new[] { "To: " + Fold(to, ",") }, TextBody("many"), withTo: false);
    }

    private static AwkwardMessage Rfc2231Names()
    {
        var body = Mixed(
            "Content-Type: text/plain\r\n\r\nfiles\r\n",
            "Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename*=UTF-8''%E2%82%AC%20rates.pdf\r\n\r\nJVBERi0=\r\n",
            "Content-Type: application/pdf; name*=iso-8859-1'de'Gr%FC%DFe.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n",
            "Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment;\r\n filename*0*=UTF-8''a%20very%20;\r\n filename*1*=long%20name;\r\n filename*2=\".pdf\"\r\n\r\nJVBERi0=\r\n");
        return Build("rfc2231-names", "RFC 2231 file names", Array.Empty<string>(), body, expectedAttachments: 3);
    }

    private static AwkwardMessage Nested(int depth)
    {
        var body = "Content-Type: text/plain\r\n\r\nthe bottom\r\n";
        for (var level = depth; level > 0; level--)
        {
            body = Multipart("mixed", body, $"Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"level{level}.bin\"\r\n\r\nx\r\n");
        }

        return Build($"nested-{depth}", $"Nested {depth} levels", Array.Empty<string>(), body, expectedAttachments: depth);
    }

    private static AwkwardMessage SubjectAndFileNameTooBig()
    {
        var words = Enumerable.Range(0, 800).Select(i => "big" + i.ToString("D4", CultureInfo.InvariantCulture)).ToList();
        var fileName = string.Concat(Enumerable.Repeat("file", 1250)) + ".pdf"; // a 5,004-character name in BODYSTRUCTURE
        var body = Mixed(
            "Content-Type: text/plain\r\n\r\nsee the file\r\n",
            $"Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment;\r\n filename=\"{fileName}\"\r\n\r\nJVBERi0=\r\n");
        return Build("subject-and-file-name-too-big", string.Join(" ", words), new[] { "Subject: " + Fold(words) }, body, withSubject: false, summaryTooBig: true);
    }

    private static string TextBody(string text) => "Content-Type: text/plain; charset=utf-8\r\n\r\n" + text + "\r\n";

    private static string Mixed(params string[] parts) => Multipart("mixed", parts);

    private static string Multipart(string subtype, params string[] parts)
    {
        var boundary = "=_awkward_" + Interlocked.Increment(ref s_boundary).ToString(CultureInfo.InvariantCulture);
        var text = new StringBuilder();
        text.Append("Content-Type: multipart/").Append(subtype).Append("; boundary=\"").Append(boundary).Append("\"\r\n\r\n");
        foreach (var part in parts)
        {
            text.Append("--").Append(boundary).Append("\r\n").Append(part);
            if (!part.EndsWith("\r\n", StringComparison.Ordinal))
            {
                text.Append("\r\n");
            }
        }

        text.Append("--").Append(boundary).Append("--\r\n");
        return text.ToString();
    }

    private static string ForwardedMessage()
        => "From: Fwd <fwd@example.org>\r\nTo: ann@example.org\r\nSubject: inner\r\nMessage-ID: <inner@example.org>\r\nDate: Mon, 2 Mar 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\n"
            + Mixed("Content-Type: text/plain\r\n\r\ninner text\r\n", "Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"inner.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n");

    /// <summary>Folds items onto header lines of at most about 76 characters (CRLF and a space between lines).</summary>
    private static string Fold(IReadOnlyList<string> items, string separator = "")
    {
        var text = new StringBuilder();
        var line = 9;
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i] + (i < items.Count - 1 ? separator : string.Empty);
            if (i > 0)
            {
                if (line + item.Length + 1 > 76)
                {
                    text.Append("\r\n ");
                    line = 1;
                }
                else
                {
                    text.Append(' ');
                    line++;
                }
            }

            text.Append(item);
            line += item.Length;
        }

        return text.ToString();
    }

    private static AwkwardMessage Build(
        string name,
        string? subject,
        IReadOnlyList<string> headers,
        string body,
        bool withSubject = true,
        bool withFrom = true,
        bool withTo = true,
        bool withDate = true,
        bool summaryTooBig = false,
        int? expectedAttachments = null)
    {
        var text = new StringBuilder();
        if (withFrom)
        {
            text.Append("From: Sender <sender@example.org>\r\n");
        }

        if (withTo)
        {
            text.Append("To: Ann <ann@example.org>\r\n");
        }

        if (withSubject)
        {
            text.Append("Subject: ").Append(subject).Append("\r\n");
        }

        if (withDate && !headers.Any(h => h.StartsWith("Date:", StringComparison.Ordinal)))
        {
            text.Append("Date: Mon, 2 Mar 2026 10:00:00 +0000\r\n");
        }

        text.Append("Message-ID: <awkward.").Append(name).Append("@imaprx.sandbox>\r\n");
        foreach (var header in headers)
        {
            text.Append(header).Append("\r\n");
        }

        text.Append("MIME-Version: 1.0\r\n").Append(body);
        return new AwkwardMessage(name, Encoding.UTF8.GetBytes(text.ToString()), subject, summaryTooBig, expectedAttachments ?? (body.Contains("multipart/", StringComparison.Ordinal) ? null : 0));
    }
}
