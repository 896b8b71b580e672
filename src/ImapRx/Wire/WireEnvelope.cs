using System;
using System.Collections.Generic;
using MimeKit;
using MimeKit.Utils;
using System.Runtime.CompilerServices;

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
    /// <remarks>
    /// Plain ASCII text, addresses and message ids (the common case) are made straight from the bytes; anything else
    /// goes through the MimeKit calls MailKit makes, so both give the same strings.
    /// </remarks>
    [MethodImpl(WireJit.Hot)]
    internal static WireEnvelope Parse(ref WireCursor cursor)
    {
        var envelope = new WireEnvelope();
        cursor.Expect((byte)'(');
        cursor.SkipSpaces();

        if (cursor.TryReadNStringView(out var date) && TryParseDate(date, out var parsed))
        {
            envelope.Date = parsed;
        }

        cursor.SkipSpaces();
        if (cursor.TryReadNStringView(out var subject))
        {
            envelope.Subject = WireText.DecodeSubject(subject);
        }

        cursor.SkipSpaces();
        var from = ReadAddressList(ref cursor, out var fromName);
        if (from.Count > 0)
        {
            envelope.FromAddress = from[0];
            envelope.FromName = fromName;
        }

        cursor.SkipSpaces();
        ReadAddressList(ref cursor, out _, keep: false); // Sender: checked, not kept
        cursor.SkipSpaces();
        ReadAddressList(ref cursor, out _, keep: false); // Reply-To: checked, not kept
        cursor.SkipSpaces();
        envelope.To = ReadAddressList(ref cursor, out _);
        cursor.SkipSpaces();
        envelope.Cc = ReadAddressList(ref cursor, out _);
        cursor.SkipSpaces();
        envelope.Bcc = ReadAddressList(ref cursor, out _);

        // MailKit copes with servers that leave In-Reply-To or Message-ID out; this reader does not guess.
        cursor.SkipSpaces();
        cursor.SkipNString(); // In-Reply-To
        cursor.SkipSpaces();
        if (cursor.TryReadNStringView(out var messageId))
        {
            envelope.MessageId = PlainMessageId(messageId) ?? ParseMessageId(messageId.Text());
        }

        cursor.SkipSpaces();
        cursor.Expect((byte)')');
        return envelope;
    }

    /// <summary>A date as MailKit reads it (<c>DateUtils.TryParse</c> of the string); plain ASCII straight from the bytes.</summary>
    [MethodImpl(WireJit.Hot)]
    internal static bool TryParseDate(in WireBytes date, out DateTimeOffset parsed)
        => WireText.IsPlainText(date)
            ? DateUtils.TryParse(date.Buffer, date.Offset, date.Length, out parsed)
            : DateUtils.TryParse(date.Text(), out parsed);

    /// <summary>
    /// <c>&lt;local@domain&gt;</c> with plain parts (<see cref="WireText.IsPlainAddressPart"/>) is
    /// <c>local@domain</c>, what <c>MimeUtils.ParseMessageId</c> gives; null for anything else.
    /// </summary>
    [MethodImpl(WireJit.Hot)]
    internal static string? PlainMessageId(in WireBytes id)
    {
        if (id.Length < 5 || id[0] != (byte)'<' || id[id.Length - 1] != (byte)'>')
        {
            return null;
        }

        var at = -1;
        for (var i = 1; i < id.Length - 1; i++)
        {
            if (id[i] == (byte)'@')
            {
                if (at >= 0)
                {
                    return null;
                }

                at = i;
            }
        }

        if (at < 0)
        {
            return null;
        }

        var local = new WireBytes(id.Buffer, id.Offset + 1, at - 1);
        var domain = new WireBytes(id.Buffer, id.Offset + at + 1, id.Length - at - 2);
        return WireText.IsPlainAddressPart(local, isDomain: false) && WireText.IsPlainAddressPart(domain, isDomain: true)
            ? WireText.JoinAddress(local, domain)
            : null;
    }

    /// <summary>What MailKit keeps for a Message-ID: MimeKit's parse, or the text itself when it does not parse.</summary>
    [MethodImpl(WireJit.Hot)]
    internal static string? ParseMessageId(string messageId)
    {
        try
        {
            return MimeUtils.ParseMessageId(messageId);
        }
        catch (Exception)
        {
            return messageId;
        }
    }

    [ThreadStatic]
    private static List<string>? t_addresses;

    /// <summary>
    /// Reads an address list into its mailboxes' addresses in order, group members included (what
    /// <c>InternetAddressList.Mailboxes</c> gives for MailKit's list), and the first one's display name.
    /// </summary>
    /// <param name="cursor">At the list or NIL.</param>
    /// <param name="firstName">The first mailbox's display name.</param>
    /// <param name="keep">False: the list is read by the same rules (and rejected for the same reasons), no address is made.</param>
    [MethodImpl(WireJit.Hot)]
    private static IReadOnlyList<string> ReadAddressList(ref WireCursor cursor, out string? firstName, bool keep = true)
    {
        firstName = null;
        if (cursor.TryNil())
        {
            return None;
        }

        cursor.Expect((byte)'(');
        var addresses = t_addresses ??= new List<string>(4);
        addresses.Clear();
        var groupDepth = 0;
        while (true)
        {
            cursor.SkipSpaces();
            if (cursor.TryTake((byte)')'))
            {
                return addresses.Count == 0 ? None : addresses.ToArray();
            }

            if (cursor.TryNil())
            {
                continue; // MailKit skips a NIL in the list; so does this
            }

            cursor.Expect((byte)'(');
            cursor.SkipSpaces();
            var hasName = cursor.TryReadNStringView(out var name);
            cursor.SkipSpaces();
            var hasRoute = cursor.TryReadNStringView(out _);
            cursor.SkipSpaces();
            var hasMailbox = cursor.TryReadNStringView(out var mailbox);
            cursor.SkipSpaces();
            var hasDomain = cursor.TryReadNStringView(out var domain);
            cursor.SkipSpaces();
            cursor.Expect((byte)')');

            if (!hasName && !hasRoute && !hasDomain)
            {
                if (hasMailbox)
                {
                    groupDepth++; // group start: its members follow
                }
                else if (groupDepth > 0)
                {
                    groupDepth--; // group end
                }

                continue;
            }

            if (hasRoute)
            {
                throw WireCursor.Reject("source route in an address");
            }

            if (hasName && name.Length > 1 && name[0] == (byte)'<' && name[name.Length - 1] == (byte)'>' && hasMailbox && !hasDomain)
            {
                // MailKit swaps name and address here for GMail; let it decide.
                throw WireCursor.Reject("address with name and mailbox swapped");
            }

            if (!keep)
            {
                continue;
            }

            if (TryPlainMailbox(hasName ? name : null, hasMailbox ? mailbox : null, hasDomain ? domain : null, out var address, out var displayName) ||
                TryMailbox(hasName ? name.Text() : null, hasMailbox ? mailbox.Text() : null, hasDomain ? domain.Text() : null, out address, out displayName))
            {
                if (addresses.Count == 0)
                {
                    firstName = displayName;
                }

                addresses.Add(address);
            }
        }
    }

    /// <summary>
    /// A mailbox with plain address parts, made straight from the bytes (the display name decoded as MailKit does): what
    /// <see cref="TryMailbox"/> gives for it, without MimeKit. False when it is not that simple.
    /// </summary>
    [MethodImpl(WireJit.Hot)]
    internal static bool TryPlainMailbox(WireBytes? name, WireBytes? mailbox, WireBytes? domain, out string address, out string? displayName)
    {
        address = string.Empty;
        displayName = null;
        if (mailbox is not { } local)
        {
            return false;
        }

        if (domain is { } d && (d.Is("MISSING_DOMAIN") || d.Is(".MISSING-HOST-NAME.")))
        {
            domain = null;
        }

        if (!WireText.IsPlainAddressPart(local, isDomain: false) || (domain is { } plain && !WireText.IsPlainAddressPart(plain, isDomain: true)))
        {
            return false;
        }

        address = WireText.JoinAddress(local, domain);
        displayName = name is { } text ? WireText.DecodeName(text) : null;
        return true;
    }

    /// <summary>
    /// A mailbox as MailKit builds it: the name through <c>Rfc2047.DecodePhrase</c>, Dovecot's stand-ins for a
    /// missing domain dropped, a <c>MailboxAddress</c> made; false when MimeKit cannot build it (MailKit drops it).
    /// </summary>
    [MethodImpl(WireJit.Hot)]
    internal static bool TryMailbox(string? name, string? mailbox, string? domain, out string address, out string? displayName)
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

            string text;
            if (mailbox is not null)
            {
                mailbox = mailbox.TrimStart('<');
                text = domain is not null ? mailbox + "@" + domain : mailbox;
            }
            else
            {
                text = string.Empty;
            }

            var built = new MailboxAddress(decodedName, text);
            address = built.Address;
            displayName = built.Name;
            return true;
        }
        catch (Exception ex) when (ex is not WireRejectedException)
        {
            address = string.Empty;
            displayName = null;
            return false; // MailKit drops an address it cannot build, and keeps the rest
        }
    }
}
