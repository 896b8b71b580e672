using System.Text;
using ImapRx.Model;
using ImapRx.Wire;

namespace ImapRx.Tests.Wire;

/// <summary>
/// The fuzz target, compiled both into tests/ImapRx.Fuzz (which afl-fuzz drives) and into the tests (which replay
/// the committed corpus): the input is a server's untagged reply to UID FETCH. The native reader must finish within
/// a bound set by the input's length, and either reject it (a <see cref="WireProtocolException"/> or
/// <see cref="WireRejectedException"/>, or a batch marked rejected: the session then falls back to MailKit) or
/// accept it and read it exactly as MailKit does. Anything else throws <see cref="WireFuzzFailure"/> (or lets the
/// reader's own exception escape), which is what afl-fuzz records as a crash.
/// </summary>
internal static class WireFuzzTarget
{
    private static readonly byte[] Tagged = Encoding.ASCII.GetBytes("W1 OK done\r\n");

    /// <summary>What the reader did with one input that passed.</summary>
    internal enum Outcome
    {
        /// <summary>The reader declined the reply: the session would fall back to MailKit.</summary>
        Rejected,

        /// <summary>The reader read the reply, and read it as MailKit does.</summary>
        Accepted,
    }

    /// <summary>Runs one input; throws when the reader crashed, looped, or disagreed with MailKit.</summary>
    internal static Outcome Run(byte[] untagged)
    {
        ArgumentNullException.ThrowIfNull(untagged);
        var actual = Native(untagged);
        if (actual is null)
        {
            return Outcome.Rejected;
        }

        var (expected, error) = WireHarness.MailKit(untagged);
        if (error is not null)
        {
            throw new WireFuzzFailure($"the native reader accepted {actual.Count} message(s), but MailKit could not read the reply: {error.GetType().Name}: {error.Message}");
        }

        if (expected!.Count != actual.Count)
        {
            throw new WireFuzzFailure($"the native reader read {actual.Count} message(s), MailKit {expected.Count}");
        }

        for (var i = 0; i < expected.Count; i++)
        {
            var difference = InfoAssert.FirstDifference(expected[i], actual[i]);
            if (difference is not null)
            {
                throw new WireFuzzFailure("the native reader and MailKit differ: " + difference);
            }
        }

        return Outcome.Accepted;
    }

    /// <summary>
    /// The native path as the bulk session runs it (reader, batch, mapper) over the input and the tagged OK: the
    /// infos in UID order, or null when it rejected (a loop throws, see <see cref="ReadToTag"/>).
    /// </summary>
    internal static List<MailMessageInfo>? Native(byte[] untagged)
    {
        var batch = new WireFetchBatch();
        try
        {
            ReadToTag(untagged, Tagged, batch);
            if (batch.RejectedBecause is not null)
            {
                return null;
            }

            return batch.Summaries
                .Select(s => WireMessageMapper.ToInfo(s, "INBOX", MailFolderType.Inbox, WireHarness.UidValidity, expectModSeq: false))
                .OrderBy(i => i.Uid)
                .ToList();
        }
        catch (Exception ex) when (ex is WireProtocolException or WireRejectedException)
        {
            return null; // the session falls back to MailKit (or reconnects, for a broken stream)
        }
    }

    /// <summary>
    /// Reads <paramref name="untagged"/> and then <paramref name="tagged"/> as the bulk session does (a 16-byte first
    /// buffer, so every growth and compaction path runs), handing each response before the first one tagged W1 to
    /// <paramref name="batch"/>; returns that tagged response's text. Every response the reader returns consumes its
    /// CRLF, so a reader that makes progress returns at most half as many responses as there are bytes: more is a
    /// loop (<see cref="WireFuzzFailure"/>). The reader's own exceptions pass through.
    /// </summary>
    internal static string ReadToTag(byte[] untagged, byte[] tagged, WireFetchBatch batch)
    {
        var bytes = new byte[untagged.Length + tagged.Length];
        untagged.CopyTo(bytes, 0);
        tagged.CopyTo(bytes, untagged.Length);
        var reader = new WireResponseReader(new MemoryStream(bytes), initialBufferBytes: 16);
        var bound = bytes.Length / 2;
        for (var reads = 0; ; reads++)
        {
            if (reads > bound)
            {
                throw new WireFuzzFailure($"the reader returned more than {bound} responses from {bytes.Length} bytes: it loops");
            }

            var response = reader.ReadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
            if (response.StartsWith("W1 "))
            {
                return response.ToText();
            }

            batch.Add(response);
        }
    }
}

/// <summary>
/// The second fuzz target: the input is a server's untagged reply to <c>UID FETCH set (UID BODY.PEEK[])</c>, read as
/// the whole-message path reads it (<see cref="ImapRx.Operations.NativeContentsOperation.ToContents"/>). The reader
/// must finish within the same bound, and either reject the batch or hand over exactly the messages, UIDs and bytes
/// MailKit's <c>GetStreams</c> hands over for the same reply.
/// </summary>
internal static class WireBodyFuzzTarget
{
    private const string EndLine = "W1 OK end of the fuzz input";

    private static readonly byte[] Tagged = Encoding.ASCII.GetBytes(EndLine + "\r\n");

    /// <summary>Runs one input; throws when the reader crashed, looped, or disagreed with MailKit.</summary>
    internal static WireFuzzTarget.Outcome Run(byte[] untagged)
    {
        ArgumentNullException.ThrowIfNull(untagged);
        var actual = Native(untagged, out var endedEarly);
        if (actual is null || endedEarly)
        {
            // Rejected; or declined: a line of the input with the command's own tag ended the command, which it does
            // for either reader, while the replay gives MailKit another tag, so there is nothing to compare.
            return WireFuzzTarget.Outcome.Rejected;
        }

        var (expected, error) = ThroughMailKit(untagged);
        if (error is not null)
        {
            throw new WireFuzzFailure($"the native reader accepted {actual.Count} message(s), but MailKit could not read the reply: {error.GetType().Name}: {error.Message}");
        }

        if (expected!.Count != actual.Count)
        {
            throw new WireFuzzFailure($"the native reader handed over {actual.Count} message(s), MailKit {expected.Count}");
        }

        for (var i = 0; i < expected.Count; i++)
        {
            if (expected[i].Uid != actual[i].Uid)
            {
                throw new WireFuzzFailure($"message {i}: UID {actual[i].Uid} natively, {expected[i].Uid} through MailKit");
            }

            if (!expected[i].Data.AsSpan().SequenceEqual(actual[i].Data.Span))
            {
                throw new WireFuzzFailure($"UID {expected[i].Uid}: {actual[i].Data.Length} bytes natively, {expected[i].Data.Length} through MailKit, not the same");
            }
        }

        return WireFuzzTarget.Outcome.Accepted;
    }

    /// <summary>The whole-message path over the input and the tagged OK: the messages in UID order, or null when rejected.</summary>
    internal static List<MailMessageContent>? Native(byte[] untagged, out bool endedEarly)
    {
        endedEarly = false;
        var batch = new WireFetchBatch(keepRawMessage: true);
        try
        {
            endedEarly = WireFuzzTarget.ReadToTag(untagged, Tagged, batch) != EndLine;
            return ImapRx.Operations.NativeContentsOperation.ToContents(batch, "INBOX", WireHarness.UidValidity, out _);
        }
        catch (Exception ex) when (ex is WireProtocolException or WireRejectedException)
        {
            return null;
        }
    }

    /// <summary>What MailKit's GetStreams hands over for the same bytes, in UID order, or the exception it threw.</summary>
    internal static (List<(uint Uid, byte[] Data)>? Messages, Exception? Error) ThroughMailKit(byte[] untagged)
    {
        try
        {
            using var client = new global::MailKit.Net.Imap.ImapClient();
            client.Connect(new FetchReplayStream(untagged), "replay.invalid", 143, global::MailKit.Security.SecureSocketOptions.None);
            client.Authenticate("user", "secret");
            var inbox = client.Inbox;
            inbox.Open(global::MailKit.FolderAccess.ReadOnly);
            var messages = new List<(uint Uid, byte[] Data)>();
            ((global::MailKit.Net.Imap.ImapFolder)inbox).GetStreams(global::MailKit.UniqueIdRange.All, (_, _, uid, stream) =>
            {
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                messages.Add((uid.Id, copy.ToArray()));
            });
            return (messages.OrderBy(m => m.Uid).ToList(), null);
        }
        catch (Exception ex)
        {
            return (null, ex);
        }
    }
}

/// <summary>The native reader looped, or accepted a reply MailKit reads differently or cannot read.</summary>
internal sealed class WireFuzzFailure : Exception
{
    internal WireFuzzFailure(string message)
        : base(message)
    {
    }
}
