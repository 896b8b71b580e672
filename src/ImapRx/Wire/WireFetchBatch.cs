using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace ImapRx.Wire;

/// <summary>
/// Collects the responses to one UID FETCH: FETCH responses become summaries; EXISTS, EXPUNGE, VANISHED,
/// RECENT, FLAGS and OK/NO/BAD status lines that may arrive in between are noted and passed over. The first
/// thing it cannot prove it understood marks the batch rejected (with the reason), and the rest of the
/// responses are only read to the tagged end, so the connection stays usable.
/// </summary>
internal sealed class WireFetchBatch
{
    private readonly bool _keepRawMessage;
    private readonly SortedDictionary<uint, WireSummary> _bySequence = new();

    internal WireFetchBatch(bool keepRawMessage = false) => _keepRawMessage = keepRawMessage;

    /// <summary>The messages read, in sequence order.</summary>
    internal IReadOnlyCollection<WireSummary> Summaries => _bySequence.Values;

    /// <summary>Why the batch goes to the MailKit path; null while it is fine.</summary>
    internal string? RejectedBecause { get; private set; }

    /// <summary>Untagged EXPUNGE or VANISHED seen meanwhile: the folder changed under the fetch.</summary>
    internal bool SawExpunge { get; private set; }

    [MethodImpl(WireJit.Hot)]
    internal void Reject(string reason) => RejectedBecause ??= reason;

    /// <summary>Handles one untagged response (a line starting with <c>* </c>).</summary>
    [MethodImpl(WireJit.Hot)]
    internal void Add(in WireResponse response)
    {
        if (RejectedBecause is not null)
        {
            return;
        }

        if (WireFetchParser.IsFetch(response, out var cursor, out var sequenceNumber))
        {
            try
            {
                var summary = WireFetchParser.Parse(ref cursor, sequenceNumber, _keepRawMessage);

                // MailKit merges two FETCH responses for one message (an unsolicited flag update, say): rather
                // than merge the same way, let it.
                if (summary.Uid == 0 || _bySequence.ContainsKey(sequenceNumber))
                {
                    Reject(summary.Uid == 0 ? "FETCH without UID" : "two FETCH responses for one message");
                    return;
                }

                _bySequence.Add(sequenceNumber, summary);
            }
            catch (WireRejectedException ex)
            {
                Reject(ex.Message);
            }

            return;
        }

        var kind = UntaggedKind(response, out var number);
        if (kind is "EXPUNGE" or "EXISTS" or "RECENT" or "FLAGS" or "OK" && !IsPlain(response, kind))
        {
            // MailKit parses every untagged response in full, and fails or reads differently on one that strays
            // from the grammar (an unterminated string, a word after the flag list): leave the batch to it.
            Reject($"untagged {kind} response that is not in its plain form");
            return;
        }

        switch (kind)
        {
            case "EXPUNGE":
                // As MailKit does: the expunged message leaves the batch, the ones after it move up one.
                SawExpunge = true;
                Expunge(number);
                break;
            case "VANISHED":
                SawExpunge = true;
                Reject("VANISHED during FETCH");
                break;
            case "EXISTS":
            case "RECENT":
            case "FLAGS":
            case "OK":
                break;
            default:
                Reject("unexpected untagged response " + kind);
                break;
        }
    }

    [MethodImpl(WireJit.Hot)]
    private void Expunge(uint sequenceNumber)
    {
        if (sequenceNumber == 0)
        {
            Reject("EXPUNGE 0");
            return;
        }

        var moved = new List<WireSummary>();
        foreach (var pair in _bySequence)
        {
            if (pair.Key >= sequenceNumber)
            {
                moved.Add(pair.Value);
            }
        }

        foreach (var summary in moved)
        {
            _bySequence.Remove(summary.SequenceNumber);
        }

        foreach (var summary in moved)
        {
            if (summary.SequenceNumber == sequenceNumber)
            {
                continue;
            }

            summary.SequenceNumber--;
            _bySequence.Add(summary.SequenceNumber, summary);
        }
    }

    /// <summary>
    /// True for <c>* n EXPUNGE|EXISTS|RECENT</c> with nothing after, <c>* FLAGS (flags)</c> with nothing after, and an
    /// <c>* OK</c> line of plain text (no quotes, literals, backslashes, brackets or control bytes).
    /// </summary>
    [MethodImpl(WireJit.Hot)]
    private static bool IsPlain(in WireResponse response, string kind)
    {
        var cursor = response.Cursor();
        try
        {
            cursor.Expect((byte)'*');
            cursor.Expect((byte)' ');
            switch (kind)
            {
                case "FLAGS":
                    cursor.ReadAtom();
                    cursor.Expect((byte)' ');
                    cursor.Expect((byte)'(');
                    while (true)
                    {
                        cursor.SkipSpaces();
                        if (cursor.TryTake((byte)')'))
                        {
                            return cursor.AtEnd;
                        }

                        cursor.TryTake((byte)'\\');
                        cursor.ReadAtom();
                    }

                case "OK":
                    cursor.ReadAtom();
                    cursor.SkipSpaces();
                    if (cursor.TryTake((byte)'['))
                    {
                        // A response code of one word, or a word and a number ([HIGHESTMODSEQ 99], [ALERT]).
                        var (start, length) = cursor.ReadAtom();
                        for (var i = start; i < start + length; i++)
                        {
                            var c = response.Buffer[i] | 0x20;
                            if ((c < 'a' || c > 'z') && c != '-')
                            {
                                return false;
                            }
                        }

                        if (cursor.TryTake((byte)' '))
                        {
                            cursor.ReadNumber64();
                        }

                        cursor.Expect((byte)']');
                    }

                    for (var i = cursor.Position; i < response.Offset + response.Length; i++)
                    {
                        var b = response.Buffer[i];
                        if (b < 0x20 || b >= 0x7f || b == (byte)'"' || b == (byte)'{' || b == (byte)'\\' || b == (byte)'[' || b == (byte)']')
                        {
                            return false;
                        }
                    }

                    return true;

                default:
                    cursor.ReadNumber();
                    cursor.Expect((byte)' ');
                    cursor.ReadAtom();
                    return cursor.AtEnd;
            }
        }
        catch (WireRejectedException)
        {
            return false;
        }
    }

    /// <summary>The word that says what an untagged response is: <c>* 5 EXISTS</c> gives EXISTS, <c>* OK [...]</c> gives OK.</summary>
    [MethodImpl(WireJit.Hot)]
    internal static string UntaggedKind(in WireResponse response, out uint number)
    {
        var cursor = response.Cursor();
        number = 0;
        try
        {
            cursor.Expect((byte)'*');
            cursor.Expect((byte)' ');
            if (cursor.Peek() >= (byte)'0' && cursor.Peek() <= (byte)'9')
            {
                number = cursor.ReadNumber();
                cursor.Expect((byte)' ');
            }

            var word = cursor.ReadAtom();
            return cursor.AtomText(word).ToUpperInvariant();
        }
        catch (WireRejectedException)
        {
            return "?";
        }
    }
}
