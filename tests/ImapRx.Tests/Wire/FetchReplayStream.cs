using System.Text;

namespace ImapRx.Tests.Wire;

/// <summary>
/// A scripted server for MailKit's <c>Connect(Stream, ...)</c> that answers the handful of commands MailKit sends
/// to open INBOX, and answers UID FETCH with exactly the bytes a test gives it: so MailKit and the native reader
/// can be handed the same response, byte for byte, including responses no real server would send.
/// </summary>
internal sealed class FetchReplayStream : Stream
{
    private readonly byte[] _fetchResponse;
    private readonly List<byte> _fromClient = new();
    private readonly Queue<byte> _toClient = new();

    public FetchReplayStream(byte[] fetchResponse)
    {
        _fetchResponse = fetchResponse;
        Send("* OK [CAPABILITY IMAP4rev1] replay ready\r\n");
    }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        // An empty queue means MailKit waits for more than the script has: end the stream rather than hang.
        var n = 0;
        while (n < count && _toClient.Count > 0)
        {
            buffer[offset + n++] = _toClient.Dequeue();
        }

        return n;
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        for (var i = 0; i < count; i++)
        {
            _fromClient.Add(buffer[offset + i]);
        }

        while (true)
        {
            var crlf = -1;
            for (var i = 0; i + 1 < _fromClient.Count; i++)
            {
                if (_fromClient[i] == '\r' && _fromClient[i + 1] == '\n')
                {
                    crlf = i;
                    break;
                }
            }

            if (crlf < 0)
            {
                return;
            }

            var command = Encoding.UTF8.GetString(_fromClient.GetRange(0, crlf).ToArray());
            _fromClient.RemoveRange(0, crlf + 2);
            Reply(command);
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private void Reply(string command)
    {
        var space = command.IndexOf(' ');
        var tag = command[..space];
        var rest = command[(space + 1)..];
        if (rest.StartsWith("CAPABILITY", StringComparison.Ordinal))
        {
            Send($"* CAPABILITY IMAP4rev1\r\n{tag} OK done\r\n");
        }
        else if (rest.StartsWith("LIST \"\" \"\"", StringComparison.Ordinal))
        {
            Send($"* LIST (\\Noselect) \"/\" \"\"\r\n{tag} OK done\r\n");
        }
        else if (rest.StartsWith("LIST", StringComparison.Ordinal))
        {
            Send($"* LIST (\\HasNoChildren) \"/\" INBOX\r\n{tag} OK done\r\n");
        }
        else if (rest.StartsWith("EXAMINE", StringComparison.Ordinal))
        {
            Send($"* 1 EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\n* OK [UIDNEXT 100000] ok\r\n{tag} OK [READ-ONLY] done\r\n");
        }
        else if (rest.StartsWith("UID FETCH", StringComparison.Ordinal))
        {
            foreach (var b in _fetchResponse)
            {
                _toClient.Enqueue(b);
            }

            Send($"{tag} OK done\r\n");
        }
        else
        {
            Send($"{tag} OK done\r\n");
        }
    }

    private void Send(string text)
    {
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            _toClient.Enqueue(b);
        }
    }
}
