using System;
using System.Text;
using MailKit;

namespace ImapRx.Pooling;

/// <summary>
/// Tells whether the server accepted the login. MailKit's <c>AuthenticateAsync</c> goes on after the server's OK
/// (NAMESPACE, LIST of the special folders), so a connection that drops there fails the same call as one whose
/// server never answered the credentials: the first is an ordinary transient failure, the second may be a wrong
/// password and must not be retried. While armed, this watches the server's lines for the tagged answer; after
/// that it only forwards to the wire log, if there is one. It also tells a watch's heartbeat when the server
/// last spoke (<see cref="ServerActivity"/>).
/// </summary>
internal sealed class LoginWatch : IProtocolLogger
{
    private const int MaxLine = 8192;
    private readonly IProtocolLogger? _wireLog;
    private readonly StringBuilder _line = new();
    private IAuthenticationSecretDetector? _detector;
    private volatile bool _armed;

    internal LoginWatch(IProtocolLogger? wireLog) => _wireLog = wireLog;

    /// <summary>
    /// Called on every read from the server, while set: a watch's heartbeat learns from it that the server is
    /// alive without sending anything itself. Runs on MailKit's reading thread; keep it short.
    /// </summary>
    internal Action? ServerActivity { get; set; }

    /// <summary>True once the server answered the login with OK.</summary>
    internal bool Accepted { get; private set; }

    public IAuthenticationSecretDetector? AuthenticationSecretDetector
    {
        get => _wireLog?.AuthenticationSecretDetector ?? _detector;
        set
        {
            _detector = value;
            if (_wireLog is not null)
            {
                _wireLog.AuthenticationSecretDetector = value;
            }
        }
    }

    /// <summary>Starts watching: call right before the credentials are sent.</summary>
    internal void Arm()
    {
        _line.Clear();
        Accepted = false;
        _armed = true;
    }

    public void LogConnect(Uri uri) => _wireLog?.LogConnect(uri);

    public void LogClient(byte[] buffer, int offset, int count) => _wireLog?.LogClient(buffer, offset, count);

    public void LogServer(byte[] buffer, int offset, int count)
    {
        _wireLog?.LogServer(buffer, offset, count);
        ServerActivity?.Invoke();
        if (!_armed)
        {
            return;
        }

        for (var i = offset; i < offset + count && _armed; i++)
        {
            var c = (char)buffer[i];
            if (c == '\n')
            {
                Inspect(_line.ToString());
                _line.Clear();
            }
            else if (_line.Length < MaxLine)
            {
                _line.Append(c);
            }
        }
    }

    public void Dispose() => _wireLog?.Dispose();

    // "* ..." is untagged and "+ ..." a continuation; the first tagged line is the login's answer.
    private void Inspect(string line)
    {
        if (line.Length == 0 || line[0] == '*' || line[0] == '+')
        {
            return;
        }

        var space = line.IndexOf(' ');
        Accepted = space > 0 && line.Length >= space + 3 && string.CompareOrdinal(line, space + 1, "OK", 0, 2) == 0;
        _armed = false;
    }
}
