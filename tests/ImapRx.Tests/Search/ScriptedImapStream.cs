using System.Text;

namespace ImapRx.Tests.Search;

/// <summary>
/// A tiny in-memory IMAP server for MailKit's <c>Connect(Stream, ...)</c>: it answers LOGIN, LIST,
/// EXAMINE and SEARCH with canned replies and records every command MailKit writes, literals
/// included, so tests can see the exact wire form of a query without a real server.
/// </summary>
internal sealed class ScriptedImapStream : Stream
{
    private const string Capabilities = "IMAP4rev1 LITERAL+ WITHIN SAVEDATE SEARCH=FUZZY";

    private readonly List<byte> _fromClient = new();
    private readonly Queue<byte> _toClient = new();

    public ScriptedImapStream()
    {
        Send($"* OK [CAPABILITY {Capabilities}] scripted server ready\r\n");
    }

    /// <summary>Every command received, without its final CRLF; literals appear inline with their CRLFs.</summary>
    public List<string> Commands { get; } = new();

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
        // Replies are queued as soon as a command is complete, so an empty queue means MailKit
        // waits for something this script never sends: end the stream instead of hanging.
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

        ProcessCompleteCommands();
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private void ProcessCompleteCommands()
    {
        var scan = 0;
        while (true)
        {
            var crlf = IndexOfCrlf(scan);
            if (crlf < 0)
            {
                return;
            }

            var literal = LiteralLengthBefore(crlf);
            if (literal >= 0)
            {
                // LITERAL+ ({n+}): the literal's bytes follow at once, then the command goes on.
                if (_fromClient.Count < crlf + 2 + literal)
                {
                    return;
                }

                scan = crlf + 2 + literal;
                continue;
            }

            var command = Encoding.UTF8.GetString(_fromClient.GetRange(0, crlf).ToArray());
            _fromClient.RemoveRange(0, crlf + 2);
            scan = 0;
            Commands.Add(command);
            Reply(command);
        }
    }

    private int IndexOfCrlf(int from)
    {
        for (var i = from; i + 1 < _fromClient.Count; i++)
        {
            if (_fromClient[i] == '\r' && _fromClient[i + 1] == '\n')
            {
                return i;
            }
        }

        return -1;
    }

    private int LiteralLengthBefore(int crlf)
    {
        var i = crlf - 1;
        if (i < 0 || _fromClient[i] != '}')
        {
            return -1;
        }

        i--;
        if (i >= 0 && _fromClient[i] == '+')
        {
            i--;
        }

        var digitsEnd = i;
        while (i >= 0 && _fromClient[i] >= '0' && _fromClient[i] <= '9')
        {
            i--;
        }

        if (i < 0 || _fromClient[i] != '{' || i == digitsEnd)
        {
            return -1;
        }

        var digits = Encoding.ASCII.GetString(_fromClient.GetRange(i + 1, digitsEnd - i).ToArray());
        return int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
    }

    private void Reply(string command)
    {
        var parts = command.Split(' ', 3);
        var tag = parts[0];
        var verb = parts.Length > 1 ? parts[1].ToUpperInvariant() : string.Empty;
        if (verb == "UID" && parts.Length > 2)
        {
            verb = parts[2].Split(' ')[0].ToUpperInvariant();
        }

        switch (verb)
        {
            case "CAPABILITY":
                Send($"* CAPABILITY {Capabilities}\r\n{tag} OK done\r\n");
                break;
            case "LIST":
                Send(command.EndsWith("\"\"", StringComparison.Ordinal)
                    ? $"* LIST (\\Noselect) \"/\" \"\"\r\n{tag} OK done\r\n"
                    : $"* LIST (\\HasNoChildren) \"/\" INBOX\r\n{tag} OK done\r\n");
                break;
            case "EXAMINE":
            case "SELECT":
                Send("* 3 EXISTS\r\n* 0 RECENT\r\n* FLAGS (\\Seen \\Flagged)\r\n* OK [UIDVALIDITY 7] ok\r\n" +
                     $"* OK [UIDNEXT 4] ok\r\n{tag} OK [READ-ONLY] done\r\n");
                break;
            case "SEARCH":
                Send($"* SEARCH 1\r\n{tag} OK done\r\n");
                break;
            case "LOGOUT":
                Send($"* BYE bye\r\n{tag} OK done\r\n");
                break;
            default:
                Send($"{tag} OK done\r\n");
                break;
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
