using System;
using System.Linq;
using MailKit;
using System.Runtime.CompilerServices;

namespace ImapRx.Wire;

/// <summary>
/// Reads one untagged FETCH response (<c>* n FETCH (item value ...)</c>) into a <see cref="WireSummary"/>.
/// Knows exactly the items ImapRx asks for (UID, FLAGS, INTERNALDATE, RFC822.SIZE, ENVELOPE, BODYSTRUCTURE,
/// MODSEQ, BODY[]); any other item, or a value it cannot read the way MailKit does, throws
/// <see cref="WireRejectedException"/>.
/// </summary>
internal static class WireFetchParser
{
    /// <summary>If <paramref name="response"/> is <c>* n FETCH</c>, returns the cursor positioned at its list and the sequence number.</summary>
    [MethodImpl(WireJit.Hot)]
    internal static bool IsFetch(in WireResponse response, out WireCursor cursor, out uint sequenceNumber)
    {
        cursor = response.Cursor();
        sequenceNumber = 0;
        if (!response.StartsWith("* ") || response.Length < 3 || response.Buffer[response.Offset + 2] < (byte)'0' || response.Buffer[response.Offset + 2] > (byte)'9')
        {
            return false;
        }

        cursor.Expect((byte)'*');
        cursor.Expect((byte)' ');
        try
        {
            sequenceNumber = cursor.ReadNumber();
            if (sequenceNumber == 0)
            {
                return false; // not a FETCH the reader can take: the batch rejects it as an unexpected response
            }

            cursor.Expect((byte)' ');
            var keyword = cursor.ReadAtom();
            return cursor.AtomEquals(keyword, "FETCH");
        }
        catch (WireRejectedException)
        {
            return false;
        }
    }

    /// <summary>Parses the item list of a FETCH response; the cursor is just after the word FETCH.</summary>
    [MethodImpl(WireJit.Hot)]
    internal static WireSummary Parse(ref WireCursor cursor, uint sequenceNumber, bool keepRawMessage = false)
    {
        var summary = new WireSummary { SequenceNumber = sequenceNumber };
        cursor.SkipSpaces();
        cursor.Expect((byte)'(');
        while (true)
        {
            cursor.SkipSpaces();
            if (cursor.TryTake((byte)')'))
            {
                break;
            }

            var item = cursor.ReadAtom();
            cursor.SkipSpaces();
            if (cursor.AtomEquals(item, "UID"))
            {
                if (summary.Uid != 0)
                {
                    // MailKit hands a BODY[] over with the UID read so far, so which one counts depends on the order
                    // (found by fuzzing the whole-message path).
                    throw WireCursor.Reject("UID twice in one FETCH response");
                }

                summary.Uid = cursor.ReadNumber();
                if (summary.Uid == 0)
                {
                    throw WireCursor.Reject("UID 0");
                }
            }
            else if (cursor.AtomEquals(item, "FLAGS"))
            {
                summary.Flags = ReadFlags(ref cursor, summary);
            }
            else if (cursor.AtomEquals(item, "INTERNALDATE"))
            {
                summary.HasInternalDate = true;
                summary.InternalDate = cursor.TryReadNStringView(out var date) ? WireInternalDate.Parse(date) : null;
            }
            else if (cursor.AtomEquals(item, "RFC822.SIZE"))
            {
                summary.Size = cursor.ReadNumber();
            }
            else if (cursor.AtomEquals(item, "ENVELOPE"))
            {
                summary.Envelope = WireEnvelope.Parse(ref cursor);
            }
            else if (cursor.AtomEquals(item, "BODYSTRUCTURE"))
            {
                summary.AttachmentCount = WireBodyStructure.CountAttachments(ref cursor);
            }
            else if (cursor.AtomEquals(item, "MODSEQ"))
            {
                cursor.Expect((byte)'(');
                cursor.SkipSpaces();
                summary.ModSeq = cursor.ReadNumber64();
                cursor.SkipSpaces();
                cursor.Expect((byte)')');
            }
            else if (cursor.AtomEquals(item, "BODY") && keepRawMessage)
            {
                // BODY[] only: the whole message, as bytes.
                cursor.Expect((byte)'[');
                cursor.Expect((byte)']');
                cursor.SkipSpaces();
                if (cursor.TryNil())
                {
                    throw WireCursor.Reject("BODY[] NIL");
                }

                if (cursor.Peek() == (byte)'~')
                {
                    // A literal8 belongs to BINARY[] (RFC 3516); MailKit fails on one after BODY[] (found by fuzzing).
                    throw WireCursor.Reject("BODY[] as a literal8");
                }

                if (summary.RawMessage is not null)
                {
                    throw WireCursor.Reject("BODY[] twice in one FETCH response");
                }

                var quoted = cursor.Peek() == (byte)'"';
                var (buffer, offset, length) = cursor.ReadStringBytes();
                if (quoted && Array.FindIndex(buffer, offset, length, static b => b >= 0x80) >= 0)
                {
                    // MailKit reads a quoted string as text and hands its re-encoding over, not the bytes (found by
                    // fuzzing); servers send bodies as literals.
                    throw WireCursor.Reject("BODY[] as a quoted string with 8-bit bytes");
                }

                var copy = new byte[length];
                Buffer.BlockCopy(buffer, offset, copy, 0, length);
                summary.RawMessage = copy;
            }
            else
            {
                throw WireCursor.Reject("unexpected FETCH item");
            }
        }

        if (!cursor.AtEnd)
        {
            throw WireCursor.Reject("bytes after the FETCH list");
        }

        return summary;
    }

    [MethodImpl(WireJit.Hot)]
    private static MessageFlags ReadFlags(ref WireCursor cursor, WireSummary summary)
    {
        cursor.Expect((byte)'(');
        var flags = MessageFlags.None;
        while (true)
        {
            cursor.SkipSpaces();
            if (cursor.TryTake((byte)')'))
            {
                return flags;
            }

            if (cursor.TryTake((byte)'\\'))
            {
                if (cursor.TryTake((byte)'*'))
                {
                    // MailKit reads a word glued to \* its own way (\*raft gives raft): only a lone \* is read here.
                    if (cursor.Peek() != (byte)' ' && cursor.Peek() != (byte)')')
                    {
                        throw WireCursor.Reject("a word after \\* in a message's flags");
                    }

                    flags |= MessageFlags.UserDefined;
                    continue;
                }

                var system = cursor.ReadAtom();
                if (cursor.AtomEquals(system, "SEEN"))
                {
                    flags |= MessageFlags.Seen;
                }
                else if (cursor.AtomEquals(system, "ANSWERED"))
                {
                    flags |= MessageFlags.Answered;
                }
                else if (cursor.AtomEquals(system, "FLAGGED"))
                {
                    flags |= MessageFlags.Flagged;
                }
                else if (cursor.AtomEquals(system, "DELETED"))
                {
                    flags |= MessageFlags.Deleted;
                }
                else if (cursor.AtomEquals(system, "DRAFT"))
                {
                    flags |= MessageFlags.Draft;
                }
                else if (cursor.AtomEquals(system, "RECENT"))
                {
                    flags |= MessageFlags.Recent;
                }
                else
                {
                    AddKeyword(summary, "\\" + cursor.AtomText(system));
                }

                continue;
            }

            if (cursor.TryNil())
            {
                throw WireCursor.Reject("NIL in a flag list");
            }

            AddKeyword(summary, cursor.AtomText(cursor.ReadAtom()));
        }
    }

    [MethodImpl(WireJit.Hot)]
    private static void AddKeyword(WireSummary summary, string keyword)
    {
        if (!summary.KeywordsOrNone.Contains(keyword))
        {
            summary.Keywords.Add(keyword);
        }
    }
}
