using System.Text;
using MimeKit;

namespace ImapRx.Tests.Wire;

/// <summary>Hand-made messages for the corners the corpus generator does not reach, as raw RFC 5322 text.</summary>
internal static class EdgeMessages
{
    internal static IEnumerable<MimeMessage> All()
    {
        foreach (var raw in Raw())
        {
            yield return MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(raw.Replace("\n", "\r\n"))));
        }
    }

    private static IEnumerable<string> Raw()
    {
        yield return """
            From: =?UTF-8?B?w4lsaXNl?= <elise@example.com>
            To: undisclosed-recipients:;
            Cc: Team: ann@example.com, "Bob \"B\" Smith" <bob@example.com>;, carol@example.com
            Subject: =?iso-8859-1?Q?caf=E9?= and =?UTF-8?Q?cr=C3=A8me?=
            Date: Tue, 6 Jan 2026 10:00:00 +0100
            Message-ID: <edge.1@imaprx.test>

            groups and encoded words
            """;
        yield return """
            From: Grüße Köln <koeln@example.com>
            To: 日本 <nihon@example.jp>
            Subject: raw UTF-8 — not encoded ✓
            Date: 7 Jan 2026 01:02:03 -0000
            Message-ID: <edge.2@imaprx.test>

            raw 8-bit headers
            """;
        yield return """
            From: nobody
            Subject:
            Message-ID: not-in-brackets@x

            empty subject, no date, an address without a domain
            """;
        yield return "Subject: only a subject\n\nno from, no date, no id\n";
        yield return """
            From: a@example.com
            Subject: a "quoted" \ backslash (paren) {5}
            Date: Thu, 8 Jan 2026 12:00:00 GMT
            Message-ID: <edge.5@imaprx.test>
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="outer"

            --outer
            Content-Type: multipart/alternative; boundary="inner"

            --inner
            Content-Type: text/plain; charset=utf-8

            text
            --inner
            Content-Type: multipart/related; boundary="deep"

            --deep
            Content-Type: text/html; charset=utf-8

            <p>html</p>
            --deep
            Content-Type: image/png; name="inline.png"
            Content-Disposition: inline; filename="inline.png"
            Content-ID: <img1>
            Content-Transfer-Encoding: base64

            iVBORw0KGgo=
            --deep--
            --inner--
            --outer
            Content-Type: message/rfc822
            Content-Disposition: attachment; filename="forwarded.eml"

            From: inner@example.com
            Subject: =?UTF-8?B?w6lubmVy?=
            Content-Type: multipart/mixed; boundary="x"

            --x
            Content-Type: text/plain

            inner body
            --x
            Content-Type: application/pdf; name="inner.pdf"

            JVBERi0=
            --x--
            --outer
            Content-Type: application/octet-stream; name*=utf-8''%C3%A9t%C3%A9.bin
            Content-Transfer-Encoding: base64

            AAEC
            --outer
            Content-Type: text/calendar; name="invite.ics"

            BEGIN:VCALENDAR
            --outer
            Content-Type: application/pdf
            Content-Disposition: attachment; filename*0="long-"; filename*1="name.pdf"

            JVBERi0=
            --outer--
            """;
        yield return "From: x@example.com\nSubject: " + new string('L', 3000) + "\nMessage-ID: <edge.6@imaprx.test>\n\nlong subject (a literal from Dovecot)\n";
        yield return """
            From: "Weird, Name" <weird@example.com>, second@example.com
            To: "" <empty-name@example.com>, <angle@example.com>
            Bcc: hidden@example.com
            Subject: =?utf-8?q?broken encoded word
            Date: Fri, 31 Feb 2026 25:61:00 +9999
            Message-ID: <a@b> <second@c>

            broken date, broken encoded word
            """;
    }
}
