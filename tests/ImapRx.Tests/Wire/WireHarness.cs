using System.Text;
using ImapRx.Model;
using ImapRx.Wire;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;

namespace ImapRx.Tests.Wire;

/// <summary>Runs the same FETCH response bytes through the native reader and through MailKit.</summary>
internal static class WireHarness
{
    internal const uint UidValidity = 7;

    /// <summary>
    /// The native path over <paramref name="untagged"/> followed by the tagged OK, as the bulk session reads it:
    /// the infos in UID order, or null when the reader rejected the batch.
    /// </summary>
    internal static List<MailMessageInfo>? Native(byte[] untagged, bool expectModSeq = false)
    {
        var bytes = untagged.Concat(Encoding.ASCII.GetBytes("W1 OK done\r\n")).ToArray();
        var reader = new WireResponseReader(new MemoryStream(bytes), initialBufferBytes: 16);
        var batch = new WireFetchBatch();
        try
        {
            for (var guard = 0; guard < 100_000; guard++)
            {
                var response = reader.ReadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
                if (response.StartsWith("W1 "))
                {
                    break;
                }

                batch.Add(response);
            }
        }
        catch (WireProtocolException)
        {
            return null; // the session throws this away as a broken stream; the retry goes through MailKit or reconnects
        }

        if (batch.RejectedBecause is not null)
        {
            return null;
        }

        try
        {
            return batch.Summaries
                .Select(s => WireMessageMapper.ToInfo(s, "INBOX", MailFolderType.Inbox, UidValidity, expectModSeq))
                .OrderBy(i => i.Uid)
                .ToList();
        }
        catch (WireRejectedException)
        {
            return null;
        }
    }

    /// <summary>MailKit's answer for the same bytes: the infos in UID order, or the exception it threw.</summary>
    internal static (List<MailMessageInfo>? Infos, Exception? Error) MailKit(byte[] untagged)
    {
        try
        {
            using var client = new ImapClient();
            client.Connect(new FetchReplayStream(untagged), "replay.invalid", 143, SecureSocketOptions.None);
            client.Authenticate("user", "secret");
            var inbox = client.Inbox;
            inbox.Open(FolderAccess.ReadOnly);
            var summaries = inbox.Fetch(UniqueIdRange.All, new FetchRequest(MessageMapper.SummaryItems));
            var infos = summaries
                .OrderBy(s => s.UniqueId.Id)
                .Select(s => MessageMapper.FromSummary(s, "INBOX", MailFolderType.Inbox, UidValidity))
                .ToList();
            return (infos, null);
        }
        catch (Exception ex)
        {
            return (null, ex);
        }
    }
}
