using System;
using System.Collections.Generic;
using MimeKit;
using MimeKit.Utils;

namespace ImapRx.Wire;

/// <summary>The parts of an ENVELOPE the model needs, decoded exactly as MailKit decodes them.</summary>
internal sealed class WireEnvelope
{
    private static readonly IReadOnlyList<string> None = Array.Empty<string>();

    internal DateTimeOffset? Date { get; private set; }

    internal string? Subject { get; private set; }

    internal string? FromAddress { get; private set; }

    internal string? FromName { get; private set; }

    internal IReadOnlyList<string> To { get; private set; } = None;

    internal IReadOnlyList<string> Cc { get; private set; } = None;

    internal IReadOnlyList<string> Bcc { get; private set; } = None;

    internal string? MessageId { get; private set; }

    /// <summary>Reads <c>(date subject from sender reply-to to cc bcc in-reply-to message-id)</c>.</summary>
    internal static WireEnvelope Parse(ref WireCursor cursor)
    {
        var envelope = new WireEnvelope();
        cursor.Expect((byte)'(');
        cursor.SkipSpaces();

        var date = cursor.ReadNString();
        if (date is not null && DateUtils.TryParse(date, out var parsed))
        {
            envelope.Date = parsed;
        }

        cursor.SkipSpaces();
        var subject = cursor.ReadNString();
        envelope.Subject = subject is null ? null : Rfc2047.DecodeText(WireText.Utf8Bytes(subject));

        cursor.SkipSpaces();
        var from = ReadAddressList(ref cursor);
        if (from is { Count: > 0 })
        {
            envelope.FromAddress = from[0].Address;
            envelope.FromName = from[0].Name;
        }

        cursor.SkipSpaces();
        ReadAddressList(ref cursor); // Sender
        cursor.SkipSpaces();
        ReadAddressList(ref cursor); // Reply-To
        cursor.SkipSpaces();
        envelope.To = Addresses(ReadAddressList(ref cursor));
        cursor.SkipSpaces();
        envelope.Cc = Addresses(ReadAddressList(ref cursor));
        cursor.SkipSpaces();
        envelope.Bcc = Addresses(ReadAddressList(ref cursor));

        // MailKit copes with servers that leave In-Reply-To or Message-ID out; this reader does not guess.
        cursor.SkipSpaces();
        cursor.ReadNString(); // In-Reply-To
        cursor.SkipSpaces();
        var messageId = cursor.ReadNString();
        if (messageId is not null)
        {
            try
            {
                envelope.MessageId = MimeUtils.ParseMessageId(messageId);
            }
            catch (Exception)
            {
                envelope.MessageId = messageId; // what MailKit keeps when the id does not parse
            }
        }

        cursor.SkipSpaces();
        cursor.Expect((byte)')');
        return envelope;
    }

    private static IReadOnlyList<string> Addresses(List<MailboxAddress>? list)
    {
        if (list is null || list.Count == 0)
        {
            return None;
        }

        var addresses = new string[list.Count];
        for (var i = 0; i < list.Count; i++)
        {
            addresses[i] = list[i].Address;
        }

        return addresses;
    }

    /// <summary>
    /// Reads an address list into its mailboxes in order, group members included (what
    /// <c>InternetAddressList.Mailboxes</c> gives for MailKit's list). Null for NIL.
    /// </summary>
    private static List<MailboxAddress>? ReadAddressList(ref WireCursor cursor)
    {
        if (cursor.TryNil())
        {
            return null;
        }

        cursor.Expect((byte)'(');
        var mailboxes = new List<MailboxAddress>(2);
        var groupDepth = 0;
        while (true)
        {
            cursor.SkipSpaces();
            if (cursor.TryTake((byte)')'))
            {
                return mailboxes;
            }

            if (cursor.TryNil())
            {
                continue; // MailKit skips a NIL in the list; so does this
            }

            cursor.Expect((byte)'(');
            cursor.SkipSpaces();
            var name = cursor.ReadNString();
            cursor.SkipSpaces();
            var route = cursor.ReadNString();
            cursor.SkipSpaces();
            var mailbox = cursor.ReadNString();
            cursor.SkipSpaces();
            var domain = cursor.ReadNString();
            cursor.SkipSpaces();
            cursor.Expect((byte)')');

            if (name is null && route is null && domain is null)
            {
                if (mailbox is not null)
                {
                    groupDepth++; // group start: its members follow
                }
                else if (groupDepth > 0)
                {
                    groupDepth--; // group end
                }

                continue;
            }

            if (route is not null)
            {
                throw WireCursor.Reject("source route in an address");
            }

            if (name is { Length: > 1 } && name[0] == '<' && name[name.Length - 1] == '>' && mailbox is not null && domain is null)
            {
                // MailKit swaps name and address here for GMail; let it decide.
                throw WireCursor.Reject("address with name and mailbox swapped");
            }

            var address = ToMailbox(name, mailbox, domain);
            if (address is not null)
            {
                mailboxes.Add(address);
            }
        }
    }

    private static MailboxAddress? ToMailbox(string? name, string? mailbox, string? domain)
    {
        try
        {
            var decodedName = name is null ? null : Rfc2047.DecodePhrase(WireText.Utf8Bytes(name));

            // Dovecot's stand-ins for a missing domain mean "no domain", as MailKit reads them.
            if (domain == "MISSING_DOMAIN" || domain == ".MISSING-HOST-NAME.")
            {
                domain = null;
            }
            else if (domain is not null)
            {
                domain = domain.TrimEnd('>');
            }

            string address;
            if (mailbox is not null)
            {
                mailbox = mailbox.TrimStart('<');
                address = domain is not null ? mailbox + "@" + domain : mailbox;
            }
            else
            {
                address = string.Empty;
            }

            return new MailboxAddress(decodedName, address);
        }
        catch (Exception ex) when (ex is not WireRejectedException)
        {
            return null; // MailKit drops an address it cannot build, and keeps the rest
        }
    }
}
