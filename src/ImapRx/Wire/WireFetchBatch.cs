using System.Collections.Generic;

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
    private readonly HashSet<uint> _sequenceNumbers = new();

    internal WireFetchBatch(bool keepRawMessage = false) => _keepRawMessage = keepRawMessage;

    internal List<WireSummary> Summaries { get; } = new();

    /// <summary>Why the batch goes to the MailKit path; null while it is fine.</summary>
    internal string? RejectedBecause { get; private set; }

    /// <summary>Untagged EXPUNGE or VANISHED seen meanwhile: the folder changed under the fetch.</summary>
    internal bool SawExpunge { get; private set; }

    internal void Reject(string reason) => RejectedBecause ??= reason;

    /// <summary>Handles one untagged response (a line starting with <c>* </c>).</summary>
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
                if (summary.Uid == 0 || !_sequenceNumbers.Add(sequenceNumber))
                {
                    Reject(summary.Uid == 0 ? "FETCH without UID" : "two FETCH responses for one message");
                    return;
                }

                Summaries.Add(summary);
            }
            catch (WireRejectedException ex)
            {
                Reject(ex.Message);
            }

            return;
        }

        var kind = UntaggedKind(response);
        switch (kind)
        {
            case "EXPUNGE":
            case "VANISHED":
                SawExpunge = true;
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

    /// <summary>The word that says what an untagged response is: <c>* 5 EXISTS</c> gives EXISTS, <c>* OK [...]</c> gives OK.</summary>
    internal static string UntaggedKind(in WireResponse response)
    {
        var cursor = response.Cursor();
        try
        {
            cursor.Expect((byte)'*');
            cursor.Expect((byte)' ');
            if (cursor.Peek() >= (byte)'0' && cursor.Peek() <= (byte)'9')
            {
                cursor.ReadNumber();
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
