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
