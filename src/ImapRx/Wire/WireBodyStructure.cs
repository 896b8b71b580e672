using System;
using System.Collections.Generic;
using System.Text;
using MimeKit;
using MimeKit.Utils;
using System.Runtime.CompilerServices;

namespace ImapRx.Wire;

/// <summary>
/// Walks a BODYSTRUCTURE of any depth and counts its attachments by the model's rule (<see cref="Model.AttachmentRule"/>,
/// as <c>MessageMapper.CountAttachments</c> applies it), building MimeKit's <see cref="ContentType"/> and
/// <see cref="ContentDisposition"/> exactly as MailKit does where the answer depends on them (a <c>name</c>
/// parameter, a disposition). Every other field is read only as far as needed to know the grammar held.
/// </summary>
internal static class WireBodyStructure
{
    private const string QuotedSpecials = " \t()<>@,;:\\\"/[]?=";

    /// <summary>Reads one body and returns the number of attachment parts in it.</summary>
    [MethodImpl(WireJit.Hot)]
    internal static int CountAttachments(ref WireCursor cursor) => ReadBody(ref cursor, 0).Count;

    /// <summary>
    /// One body's attachments, <see cref="Count"/> as it stands and <see cref="AsRelatedResource"/> should it turn
    /// out to be a part after the first of a multipart/related (IMAP names a multipart's subtype after its parts).
    /// </summary>
    private readonly record struct Tally(int Count, int AsRelatedResource);

    [MethodImpl(WireJit.Hot)]
    private static Tally ReadBody(ref WireCursor cursor, int depth)
    {
        if (depth > WireLimits.MaxNesting)
        {
            throw WireCursor.Reject("body nested too deep");
        }

        cursor.Expect((byte)'(');
        cursor.SkipSpaces();
        return cursor.Peek() == (byte)'(' ? ReadMultipart(ref cursor, depth) : ReadLeaf(ref cursor, depth);
    }

    [MethodImpl(WireJit.Hot)]
    private static Tally ReadMultipart(ref WireCursor cursor, int depth)
    {
        var first = 0;
        var rest = 0;
        var restAsResources = 0;
        var parts = 0;
        while (cursor.Peek() == (byte)'(')
        {
            var part = ReadBody(ref cursor, depth + 1);
            if (parts++ == 0)
            {
                first = part.Count;
            }
            else
            {
                rest += part.Count;
                restAsResources += part.AsRelatedResource;
            }

            cursor.SkipSpaces();
        }

        var subtype = RequireToken(ReadToken(ref cursor), "multipart subtype");
        var count = first + (Model.AttachmentRule.IsRelated(subtype) ? restAsResources : rest);
        cursor.SkipSpaces();
        if (cursor.Peek() != (byte)')')
        {
            if (!cursor.TryNil())
            {
                ReadParameters(ref cursor, onlyWithName: true); // a multipart's parameters (its boundary) count for nothing
            }

            cursor.SkipSpaces();
            if (cursor.Peek() == (byte)'"')
            {
                throw WireCursor.Reject("description where a multipart's disposition belongs");
            }

            ReadExtensions(ref cursor, depth, allowLocationBeforeList: true);
        }

        cursor.Expect((byte)')');
        return new Tally(count, count); // a multipart is never an attachment itself, related or not
    }

    [MethodImpl(WireJit.Hot)]
    private static Tally ReadLeaf(ref WireCursor cursor, int depth)
    {
        var type = RequireToken(ReadToken(ref cursor), "media type");
        cursor.SkipSpaces();
        var subtype = RequireToken(ReadToken(ref cursor), "media subtype");
        cursor.SkipSpaces();
        List<KeyValuePair<string, string>>? parameters = null;
        if (!cursor.TryNil())
        {
            // Only a name parameter can change the answer (HasName): without one, the list is checked, not built.
            parameters = ReadParameters(ref cursor, onlyWithName: true);
        }

        cursor.SkipSpaces();
        cursor.SkipNString(); // id
        cursor.SkipSpaces();
        cursor.SkipNString(); // description
        cursor.SkipSpaces();
        cursor.SkipNString(); // encoding
        cursor.SkipSpaces();
        cursor.ReadNumber(); // octets

        var isText = type.Equals("text", StringComparison.OrdinalIgnoreCase);
        if (type.Equals("multipart", StringComparison.OrdinalIgnoreCase))
        {
            throw WireCursor.Reject("multipart type on a single part");
        }

        cursor.SkipSpaces();
        if (type.Equals("message", StringComparison.OrdinalIgnoreCase) && subtype.Equals("rfc822", StringComparison.OrdinalIgnoreCase))
        {
            if (cursor.Peek() == (byte)'(')
            {
                // The enclosed message's envelope and body are not this message's attachments (the model does not
                // descend into them), but they must still be well formed.
                WireEnvelope.Parse(ref cursor);
                cursor.SkipSpaces();
                ReadBody(ref cursor, depth + 1);
                cursor.SkipSpaces();
                cursor.ReadNumber(); // lines
                cursor.SkipSpaces();
            }
        }
        else if (isText)
        {
            cursor.ReadNumber(); // lines
            cursor.SkipSpaces();
        }

        ContentDisposition? disposition = null;
        if (cursor.Peek() != (byte)')')
        {
            cursor.SkipNString(); // MD5
            cursor.SkipSpaces();
            if (cursor.Peek() != (byte)')')
            {
                disposition = ReadDisposition(ref cursor);
                cursor.SkipSpaces();
                ReadExtensions(ref cursor, depth, allowLocationBeforeList: false, dispositionRead: true);
            }
        }

        cursor.Expect((byte)')');
        var hasFileName = !string.IsNullOrEmpty(disposition?.FileName) || HasName(type, subtype, parameters);
        return new Tally(
            Model.AttachmentRule.Counts(type, subtype, disposition?.Disposition, hasFileName, isRelatedResource: false) ? 1 : 0,
            Model.AttachmentRule.Counts(type, subtype, disposition?.Disposition, hasFileName, isRelatedResource: true) ? 1 : 0);
    }

    /// <summary>Disposition (unless already read), language, location, then any further extension values up to the ')'.</summary>
    [MethodImpl(WireJit.Hot)]
    private static void ReadExtensions(ref WireCursor cursor, int depth, bool allowLocationBeforeList, bool dispositionRead = false)
    {
        if (!dispositionRead && cursor.Peek() != (byte)')')
        {
            ReadDisposition(ref cursor);
            cursor.SkipSpaces();
        }

        if (cursor.Peek() != (byte)')')
        {
            ReadLanguage(ref cursor);
            cursor.SkipSpaces();
        }

        // MailKit reads a location only when the next value is not a list (for a single part).
        if (cursor.Peek() != (byte)')' && (allowLocationBeforeList || cursor.Peek() != (byte)'('))
        {
            cursor.SkipNString();
            cursor.SkipSpaces();
        }

        while (cursor.Peek() != (byte)')')
        {
            if (cursor.AtEnd)
            {
                throw WireCursor.Reject("unterminated body");
            }

            cursor.SkipValue(depth + 1);
            cursor.SkipSpaces();
        }
    }

    [MethodImpl(WireJit.Hot)]
    private static void ReadLanguage(ref WireCursor cursor)
    {
        if (cursor.TryNil())
        {
            return;
        }

        if (!cursor.TryTake((byte)'('))
        {
            cursor.ReadStringBytes();
            return;
        }

        cursor.SkipSpaces();
        while (!cursor.TryTake((byte)')'))
        {
            if (cursor.AtEnd)
            {
                throw WireCursor.Reject("unterminated language list");
            }

            cursor.SkipNString();
            cursor.SkipSpaces();
        }
    }

    [MethodImpl(WireJit.Hot)]
    private static ContentDisposition? ReadDisposition(ref WireCursor cursor)
    {
        if (cursor.TryNil())
        {
            return null;
        }

        if (!cursor.TryTake((byte)'('))
        {
            throw WireCursor.Reject("disposition that is not a list");
        }

        cursor.SkipSpaces();
        var value = cursor.ReadNString();
        cursor.SkipSpaces();
        List<KeyValuePair<string, string>>? parameters = null;
        if (!cursor.TryNil())
        {
            parameters = ReadParameters(ref cursor, onlyWithName: false);
        }

        cursor.SkipSpaces();
        cursor.Expect((byte)')');
        if (value is null && parameters is null)
        {
            return null;
        }

        // As MailKit builds it: an empty disposition means attachment; stray quotes are dropped. A disposition or a
        // parameter name that is not a plain MIME token (RFC 2231's '*' allowed in names) is left to MailKit, which reads
        // such a disposition its own way.
        var dispositionValue = string.IsNullOrEmpty(value) ? ContentDisposition.Attachment : value!.Trim('"');
        if (!IsToken(dispositionValue) || (parameters is not null && !parameters.TrueForAll(static p => IsToken(p.Key, allowStar: true))))
        {
            throw WireCursor.Reject("disposition or parameter name that is not a MIME token");
        }

        var text = new StringBuilder(dispositionValue);
        AppendParameters(text, parameters);
        return ContentDisposition.TryParse(text.ToString(), out var disposition) ? disposition : null;
    }

    /// <summary>
    /// Reads <c>(key value ...)</c>. With <paramref name="onlyWithName"/>, a list without a key starting with
    /// <c>name</c> is only checked and gives null (<see cref="HasName"/> cannot find a name in it).
    /// </summary>
    [MethodImpl(WireJit.Hot)]
    private static List<KeyValuePair<string, string>>? ReadParameters(ref WireCursor cursor, bool onlyWithName)
    {
        if (onlyWithName)
        {
            var start = cursor;
            if (!SkipParameters(ref cursor))
            {
                return null;
            }

            cursor = start; // a name is there: read the list again, keeping it
        }

        cursor.Expect((byte)'(');
        var parameters = new List<KeyValuePair<string, string>>(2);
        cursor.SkipSpaces();
        while (!cursor.TryTake((byte)')'))
        {
            if (cursor.AtEnd)
            {
                throw WireCursor.Reject("unterminated parameter list");
            }

            var name = cursor.ReadString();
            cursor.SkipSpaces();
            var value = cursor.ReadNString() ?? string.Empty;
            cursor.SkipSpaces();
            parameters.Add(new KeyValuePair<string, string>(name, value));
        }

        return parameters;
    }

    /// <summary>Passes over a parameter list by the same grammar; true when one of its keys starts with <c>name</c>.</summary>
    [MethodImpl(WireJit.Hot)]
    private static bool SkipParameters(ref WireCursor cursor)
    {
        cursor.Expect((byte)'(');
        cursor.SkipSpaces();
        var hasName = false;
        while (!cursor.TryTake((byte)')'))
        {
            if (cursor.AtEnd)
            {
                throw WireCursor.Reject("unterminated parameter list");
            }

            var (buffer, offset, length) = cursor.ReadStringBytes();
            hasName |= length >= 4 && (buffer[offset] | 0x20) == (byte)'n' && (buffer[offset + 1] | 0x20) == (byte)'a' &&
                       (buffer[offset + 2] | 0x20) == (byte)'m' && (buffer[offset + 3] | 0x20) == (byte)'e';
            cursor.SkipSpaces();
            cursor.SkipNString();
            cursor.SkipSpaces();
        }

        return hasName;
    }

    /// <summary>Common media types and subtypes, so reading one makes no string.</summary>
    private static readonly string[] KnownTokens =
    {
        "text", "plain", "html", "multipart", "mixed", "alternative", "related", "application", "image", "message",
        "rfc822", "octet-stream", "pdf", "png", "jpeg", "gif", "csv", "calendar", "signed", "report", "delivery-status",
        "TEXT", "PLAIN", "HTML", "MULTIPART", "MIXED", "ALTERNATIVE", "RELATED", "APPLICATION", "IMAGE", "MESSAGE", "RFC822",
    };

    /// <summary>A type or subtype string: a known one without allocating, else decoded as MailKit decodes it.</summary>
    [MethodImpl(WireJit.Hot)]
    private static string ReadToken(ref WireCursor cursor)
    {
        var (buffer, offset, length) = cursor.ReadStringBytes();
        var bytes = new WireBytes(buffer, offset, length);
        foreach (var known in KnownTokens)
        {
            if (bytes.Is(known))
            {
                return known;
            }
        }

        return bytes.Text();
    }

    /// <summary>Whether MimeKit finds a <c>Content-Type</c> name, as MailKit would build the type.</summary>
    [MethodImpl(WireJit.Hot)]
    private static bool HasName(string type, string subtype, List<KeyValuePair<string, string>>? parameters)
    {
        // Without a parameter whose name starts with "name" (name, name*, name*0*, ...) MimeKit cannot find a Name:
        // skip building the ContentType, the common case.
        if (parameters is null || !HasNameParameter(parameters))
        {
            return false;
        }

        var text = new StringBuilder(type.Length + subtype.Length + 32);
        text.Append(type).Append('/').Append(subtype);
        AppendParameters(text, parameters);
        return ContentType.TryParse(text.ToString(), out var contentType) && !string.IsNullOrEmpty(contentType.Name);
    }

    [MethodImpl(WireJit.Hot)]
    private static bool HasNameParameter(List<KeyValuePair<string, string>> parameters)
    {
        foreach (var parameter in parameters)
        {
            if (parameter.Key.StartsWith("name", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    [MethodImpl(WireJit.Hot)]
    private static void AppendParameters(StringBuilder text, List<KeyValuePair<string, string>>? parameters)
    {
        if (parameters is null)
        {
            return;
        }

        foreach (var parameter in parameters)
        {
            text.Append("; ").Append(parameter.Key).Append('=');
            if (NeedsQuoting(parameter.Value))
            {
                MimeUtils.AppendQuoted(text, parameter.Value);
            }
            else
            {
                text.Append(parameter.Value);
            }
        }
    }

    [MethodImpl(WireJit.Hot)]
    private static bool NeedsQuoting(string value)
    {
        foreach (var c in value)
        {
            if (c > 127 || char.IsControl(c) || QuotedSpecials.IndexOf(c) >= 0)
            {
                return true;
            }
        }

        return value.Length == 0;
    }

    /// <summary>
    /// Only plain MIME tokens: with anything else MimeKit's parse of the type could differ from the bytes, and
    /// the part is left to MailKit.
    /// </summary>
    [MethodImpl(WireJit.Hot)]
    private static string RequireToken(string value, string what)
    {
        if (value.Length == 0)
        {
            throw WireCursor.Reject($"empty {what}");
        }

        if (!IsToken(value))
        {
            throw WireCursor.Reject($"{what} is not a plain token");
        }

        return value;
    }

    /// <summary>
    /// Not empty, and only letters, digits and the token punctuation MimeKit reads as part of a token (and '*' with
    /// <paramref name="allowStar"/>, for RFC 2231 parameter names).
    /// </summary>
    [MethodImpl(WireJit.Hot)]
    private static bool IsToken(string value, bool allowStar = false)
    {
        if (value.Length == 0)
        {
            return false;
        }

        foreach (var c in value)
        {
            var ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                     c == '-' || c == '+' || c == '.' || c == '_' || c == '!' || c == '#' || c == '$' ||
                     c == '&' || c == '^' || c == '`' || c == '|' || c == '~' || (allowStar && c == '*');
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
