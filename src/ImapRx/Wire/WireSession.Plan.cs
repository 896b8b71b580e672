using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace ImapRx.Wire;

/// <summary>A folder as EXAMINE described it.</summary>
/// <param name="UidValidity">Its UIDVALIDITY.</param>
/// <param name="Exists">How many messages it holds.</param>
/// <param name="HasModSeq">CONDSTORE is on and the folder keeps mod-sequences (HIGHESTMODSEQ, not NOMODSEQ).</param>
internal sealed record WireMailbox(uint UidValidity, int Exists, bool HasModSeq);

/// <summary>A folder as LIST named it.</summary>
/// <param name="Name">The name the server gave (INBOX in any case comes back as the server spells it).</param>
/// <param name="Delimiter">The hierarchy delimiter; null for a flat namespace.</param>
/// <param name="Attributes">The name attributes as sent (<c>\HasNoChildren</c>, <c>\Sent</c>, ...).</param>
internal sealed record WireFolder(string Name, char? Delimiter, IReadOnlyList<string> Attributes);

/// <summary>
/// What a fetch needs before its first batch, asked on the bulk session itself, so a plain fetch opens the folder
/// once, on one session, instead of on a pooled MailKit connection and again on the bulk session.
/// </summary>
internal sealed partial class WireSession
{
    /// <summary>
    /// <c>LIST "" name</c>: the folder's server name, delimiter and attributes; null when the server lists no such
    /// folder, or anything but exactly one.
    /// </summary>
    internal async Task<WireFolder?> ListAsync(string folder, CancellationToken cancellationToken)
    {
        var found = new List<WireFolder>();
        await RunAsync(
            "LIST \"\" " + Quote(folder),
            response =>
            {
                if (response.StartsWith("* LIST "))
                {
                    found.Add(ParseList(response));
                }
            },
            cancellationToken).ConfigureAwait(false);
        return found.Count == 1 ? found[0] : null;
    }

    /// <summary>
    /// The UIDs above <paramref name="afterUid"/> in the examined folder, ascending: <c>UID SEARCH RETURN (ALL)</c>
    /// where the server has ESEARCH (a compact set), else <c>UID SEARCH</c>. A set with more UIDs than the folder
    /// has messages is refused (<see cref="WireRejectedException"/>) rather than expanded.
    /// </summary>
    internal async Task<List<uint>> SearchUidsAfterAsync(uint afterUid, int exists, CancellationToken cancellationToken)
    {
        var criteria = afterUid == 0 ? "ALL" : "UID " + (afterUid + 1).ToString(CultureInfo.InvariantCulture) + ":*";
        var esearch = _capabilities.Contains("ESEARCH");
        var uids = new List<uint>();
        var answers = new List<string>();
        await RunAsync(
            esearch ? "UID SEARCH RETURN (ALL) " + criteria : "UID SEARCH " + criteria,
            response =>
            {
                if (response.StartsWith(esearch ? "* ESEARCH " : "* SEARCH"))
                {
                    answers.Add(response.ToText(int.MaxValue));
                }
            },
            cancellationToken).ConfigureAwait(false);

        // Parsed once the command is over, so a refused answer leaves the session in step with the server.
        foreach (var text in answers)
        {
            if (esearch)
            {
                var at = text.IndexOf(" ALL ", StringComparison.OrdinalIgnoreCase);
                if (at >= 0)
                {
                    var set = text.Substring(at + 5);
                    var space = set.IndexOf(' ');
                    AddSet(uids, space >= 0 ? set.Substring(0, space) : set, exists);
                }
            }
            else
            {
                foreach (var word in text.Substring("* SEARCH".Length).Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries))
                {
                    uids.Add(ParseUid(word));
                }
            }
        }

        // "n:*" always matches the highest UID, even one below n.
        uids.RemoveAll(uid => uid <= afterUid);
        uids.Sort();
        for (var i = uids.Count - 1; i > 0; i--)
        {
            if (uids[i] == uids[i - 1])
            {
                uids.RemoveAt(i);
            }
        }

        if (uids.Count > exists)
        {
            throw new WireRejectedException($"the search found {uids.Count} UIDs in a folder of {exists} messages");
        }

        return uids;
    }

    /// <summary><c>* LIST (attributes) delimiter name</c>.</summary>
    private static WireFolder ParseList(WireResponse response)
    {
        var cursor = response.Cursor();
        cursor.Advance("* LIST ".Length);

        cursor.Expect((byte)'(');
        var attributes = new List<string>();
        var start = cursor.Position;
        while (cursor.Peek() != (byte)')')
        {
            if (cursor.AtEnd)
            {
                throw WireCursor.Reject("an unterminated LIST attribute list");
            }

            cursor.Advance(1);
        }

        foreach (var attribute in WireText.Decode(response.Buffer, start, cursor.Position - start).Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries))
        {
            attributes.Add(attribute);
        }

        cursor.Expect((byte)')');
        cursor.Expect((byte)' ');
        var delimiter = cursor.ReadNString();
        cursor.Expect((byte)' ');
        string name;
        if (cursor.Peek() is (byte)'"' or (byte)'{' or (byte)'~')
        {
            name = cursor.ReadString();
        }
        else
        {
            var nameStart = cursor.Position;
            while (!cursor.AtEnd && cursor.Peek() != (byte)' ')
            {
                cursor.Advance(1);
            }

            name = WireText.Decode(response.Buffer, nameStart, cursor.Position - nameStart);
        }

        if (delimiter is { Length: > 1 })
        {
            throw WireCursor.Reject("a LIST delimiter of more than one character");
        }

        return new WireFolder(name, delimiter is { Length: 1 } ? delimiter[0] : null, attributes);
    }

    private static void AddSet(List<uint> uids, string set, int exists)
    {
        foreach (var part in set.Split(','))
        {
            var colon = part.IndexOf(':');
            var first = ParseUid(colon < 0 ? part : part.Substring(0, colon));
            var last = colon < 0 ? first : ParseUid(part.Substring(colon + 1));
            if (last < first)
            {
                (first, last) = (last, first);
            }

            if ((ulong)uids.Count + (last - first) + 1 > (ulong)exists)
            {
                throw new WireRejectedException($"the search answered with more UIDs than the folder's {exists} messages");
            }

            for (var uid = first; ; uid++)
            {
                uids.Add(uid);
                if (uid == last)
                {
                    break;
                }
            }
        }
    }

    private static uint ParseUid(string text)
        => uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var uid) && uid > 0
            ? uid
            : throw new WireRejectedException("a search answer that is not a UID: " + (text.Length > 20 ? text.Substring(0, 20) : text));
}
