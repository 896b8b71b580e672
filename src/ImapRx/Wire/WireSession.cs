using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using ImapRx.Configuration;
using MailKit.Security;
using AuthenticationException = MailKit.Security.AuthenticationException;

namespace ImapRx.Wire;

/// <summary>
/// A small IMAP session for bulk reads, on a connection of its own: greeting, CAPABILITY, implicit TLS or
/// STARTTLS (with the account's certificate check, <see cref="CertificateValidator"/>), SASL through MailKit's
/// <see cref="SaslMechanism"/> classes, ENABLE CONDSTORE, EXAMINE (read-only: nothing is ever marked read),
/// UID FETCH, LOGOUT. It logs nothing and never puts a credential in an exception.
/// </summary>
internal sealed partial class WireSession : IAsyncDisposable
{
    private static readonly string[] PreferredMechanisms = { "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN", "LOGIN" };

    private readonly ImapAccountOptions _account;
    private readonly Socket _socket;
    private readonly NetworkStream _network;
    private Stream _stream;
    private WireResponseReader _reader;
    private HashSet<string> _capabilities = new(StringComparer.OrdinalIgnoreCase);
    private int _tag;
    private int _disposed;

    private WireSession(ImapAccountOptions account, Socket socket, NetworkStream network, Stream stream)
    {
        _account = account;
        _socket = socket;
        _network = network;
        _stream = stream;
        _reader = new WireResponseReader(stream);
    }

    /// <summary>CONDSTORE is on: every FETCH response carries MODSEQ.</summary>
    internal bool HasModSeq { get; private set; }

    /// <summary>The buffer's current size (it grows to the largest response).</summary>
    internal int BufferCapacity => _reader.BufferCapacity;

    /// <summary>Connects, secures and authenticates. On failure everything opened is closed again.</summary>
    internal static async Task<WireSession> OpenAsync(ImapAccountOptions account, CancellationToken cancellationToken)
    {
        Socket? socket = null;
        WireSession? session = null;
        try
        {
            using (Deadline(account, cancellationToken, out var token))
            {
                // The pool's own connect: TCP keepalive on (60 s idle, 10 s apart, 3 probes), as on every pooled socket.
                socket = await Pooling.KeepAliveSocket.ConnectAsync(account.Host, account.Port, account.Timeout, cancellationToken).ConfigureAwait(false);
                socket.NoDelay = true;
                using var registration = token.Register(static state => ((Socket)state!).Dispose(), socket);
                var network = new NetworkStream(socket, ownsSocket: true);
                Stream stream = network;
                if (account.Encryption == ImapEncryption.Tls)
                {
                    stream = await SecureAsync(stream, account).ConfigureAwait(false);
                }

                session = new WireSession(account, socket, network, stream);
                await session.HandshakeAsync(token).ConfigureAwait(false);
            }

            return session;
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            await DisposeQuietlyAsync(session, socket).ConfigureAwait(false);
            throw new OperationCanceledException(cancellationToken);
        }
        catch (OperationCanceledException ex)
        {
            // The deadline, not the caller: a server silent for Timeout while the session opens is a time-out (a
            // connection failure, retried), as it is mid-command, never a cancellation nobody asked for.
            await DisposeQuietlyAsync(session, socket).ConfigureAwait(false);
            throw new TimeoutException($"The server sent nothing for {account.Timeout.TotalSeconds:0.#} s while the session was opening.", ex);
        }
        catch
        {
            await DisposeQuietlyAsync(session, socket).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>EXAMINEs <paramref name="folder"/>: its UIDVALIDITY, message count and whether it keeps mod-sequences.</summary>
    internal async Task<WireMailbox> ExamineAsync(string folder, CancellationToken cancellationToken)
    {
        uint uidValidity = 0;
        var exists = -1;
        var modSeq = false;
        await RunAsync(
            "EXAMINE " + Quote(folder),
            response =>
            {
                var text = response.ToText(120);
                if (text.EndsWith(" EXISTS", StringComparison.OrdinalIgnoreCase) && int.TryParse(text.Substring(2, text.Length - 2 - " EXISTS".Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count))
                {
                    exists = count;
                }

                modSeq |= text.StartsWith("* OK [HIGHESTMODSEQ ", StringComparison.OrdinalIgnoreCase);
                const string marker = "[UIDVALIDITY ";
                var at = text.IndexOf(marker, StringComparison.OrdinalIgnoreCase);
                if (at >= 0)
                {
                    var end = text.IndexOf(']', at);
                    if (end > at && uint.TryParse(text.Substring(at + marker.Length, end - at - marker.Length), out var parsed))
                    {
                        uidValidity = parsed;
                    }
                }
            },
            cancellationToken).ConfigureAwait(false);
        if (uidValidity == 0)
        {
            throw new WireProtocolException("The server's EXAMINE response had no UIDVALIDITY.");
        }

        if (exists < 0)
        {
            throw new WireProtocolException("The server's EXAMINE response had no EXISTS.");
        }

        return new WireMailbox(uidValidity, exists, modSeq && HasModSeq);
    }

    /// <summary>Runs one UID FETCH and collects its responses into a batch (which may come back rejected).</summary>
    internal async Task<WireFetchBatch> FetchAsync(string uidSet, string items, bool keepRawMessage, CancellationToken cancellationToken)
    {
        var batch = new WireFetchBatch(keepRawMessage);
        var status = await RunAsync("UID FETCH " + uidSet + " (" + items + ")", response => batch.Add(response), cancellationToken, throwOnNo: false).ConfigureAwait(false);
        if (status != "OK")
        {
            batch.Reject("UID FETCH answered " + status);
        }

        return batch;
    }

    /// <summary>
    /// LOGOUT, then waits for the server to close its end before closing ours: only then has the server ended the
    /// session, so the pool slot this session holds may go to the next one without the server ever counting both.
    /// Both waits together are bounded by the account's Timeout; after it the socket is closed anyway.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        using var deadline = new CancellationTokenSource(_account.Timeout);
        try
        {
            await RunAsync("LOGOUT", static _ => { }, deadline.Token, throwOnNo: false).ConfigureAwait(false);
            await WaitForServerCloseAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Closing anyway: the server ends the session when it sees our end close.
        }

        _stream.Dispose();
        _socket.Dispose();
    }

    /// <summary>
    /// After an error: no LOGOUT (the stream may be mid-response). Half-closes and waits (bounded by the account's
    /// Timeout) for the server to close its end, which it does once it has read ours, then closes the socket. A
    /// socket already closed or reset is closed at once.
    /// </summary>
    internal async ValueTask AbortAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            using var deadline = new CancellationTokenSource(_account.Timeout);
            using var registration = deadline.Token.Register(static state => ((WireSession)state!).Abort(), this);
            try
            {
                _socket.Shutdown(SocketShutdown.Send);
                var sink = new byte[8192];
                while (await _network.ReadAsync(sink, 0, sink.Length, deadline.Token).ConfigureAwait(false) > 0)
                {
                    // Whatever the server still had in flight; its end of the stream is what we wait for.
                }
            }
            catch (Exception)
            {
                // Reset, already closed, or the deadline: the server's end is gone or will be.
            }
        }

        Abort();
    }

    /// <summary>Closes without LOGOUT, at once (cancellation, or a read that must end now).</summary>
    internal void Abort()
    {
        Interlocked.Exchange(ref _disposed, 1);
        _stream.Dispose();
        _socket.Dispose();
    }

    /// <summary>Reads until the server closes the connection (after its LOGOUT answer), discarding what comes.</summary>
    private async Task WaitForServerCloseAsync(CancellationToken cancellationToken)
    {
        var sink = new byte[256];
        using var registration = cancellationToken.Register(static state => ((WireSession)state!).Abort(), this);
        while (await _stream.ReadAsync(sink, 0, sink.Length, cancellationToken).ConfigureAwait(false) > 0)
        {
        }
    }

    private static async ValueTask DisposeQuietlyAsync(WireSession? session, Socket? socket)
    {
        if (session is not null)
        {
            session.Abort();
        }

        socket?.Dispose();
        await Task.CompletedTask.ConfigureAwait(false);
    }

    private static IDisposable Deadline(ImapAccountOptions account, CancellationToken cancellationToken, out CancellationToken token)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        source.CancelAfter(account.Timeout);
        token = source.Token;
        return source;
    }

    private static async Task<Stream> SecureAsync(Stream inner, ImapAccountOptions account)
    {
        // The same check as the MailKit connections: the account's callback, CAs or pins, else the platform's
        // trust store with the host name; never switched off.
        var validation = CertificateValidator.Create(account);
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false, validation);
        try
        {
            await ssl.AuthenticateAsClientAsync(account.Host, null, System.Security.Authentication.SslProtocols.None, checkCertificateRevocation: false).ConfigureAwait(false);
        }
        catch
        {
            ssl.Dispose();
            throw;
        }

        return ssl;
    }

    private async Task HandshakeAsync(CancellationToken cancellationToken)
    {
        var greeting = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (greeting.StartsWith("* BYE"))
        {
            throw new WireProtocolException("The server refused the connection: " + greeting.ToText());
        }

        var preauthenticated = greeting.StartsWith("* PREAUTH");
        if (!preauthenticated && !greeting.StartsWith("* OK"))
        {
            throw new WireProtocolException("Not an IMAP greeting.");
        }

        await CapabilityAsync(cancellationToken).ConfigureAwait(false);
        if (_account.Encryption == ImapEncryption.StartTls)
        {
            // StartTls means TLS or nothing: a server without STARTTLS is an error, never plain text.
            if (!_capabilities.Contains("STARTTLS"))
            {
                throw new NotSupportedException("The server does not offer STARTTLS.");
            }

            await RunAsync("STARTTLS", static _ => { }, cancellationToken).ConfigureAwait(false);
            _stream = await SecureAsync(_stream, _account).ConfigureAwait(false);
            _reader = new WireResponseReader(_stream);
            await CapabilityAsync(cancellationToken).ConfigureAwait(false);
        }

        if (!preauthenticated)
        {
            await AuthenticateAsync(cancellationToken).ConfigureAwait(false);
            await CapabilityAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_capabilities.Contains("CONDSTORE"))
        {
            await RunAsync("ENABLE CONDSTORE", static _ => { }, cancellationToken, throwOnNo: false).ConfigureAwait(false);
            HasModSeq = true;
        }
    }

    private async Task CapabilityAsync(CancellationToken cancellationToken)
    {
        var capabilities = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await RunAsync(
            "CAPABILITY",
            response =>
            {
                if (!response.StartsWith("* CAPABILITY "))
                {
                    return;
                }

                foreach (var word in response.ToText(int.MaxValue).Substring("* CAPABILITY ".Length).Split(' '))
                {
                    if (word.Length > 0)
                    {
                        capabilities.Add(word);
                    }
                }
            },
            cancellationToken).ConfigureAwait(false);
        _capabilities = capabilities;
    }

    private async Task AuthenticateAsync(CancellationToken cancellationToken)
    {
        SaslMechanism mechanism;
        switch (_account.Credential)
        {
            case PasswordCredential password:
                mechanism = PickMechanism(new NetworkCredential(_account.Username, password.Password));
                break;
            case OAuth2Credential oauth:
                var token = await oauth.Provider(false, cancellationToken).ConfigureAwait(false);
                mechanism = oauth.Mechanism == OAuth2Mechanism.OAuthBearer
                    ? new SaslMechanismOAuthBearer(_account.Username, token)
                    : new SaslMechanismOAuth2(_account.Username, token);
                break;
            default:
                throw new ArgumentException($"Unsupported credential type {_account.Credential.GetType().Name}.");
        }

        var command = "AUTHENTICATE " + mechanism.MechanismName;
        if (mechanism.SupportsInitialResponse && _capabilities.Contains("SASL-IR"))
        {
            var initial = await mechanism.ChallengeAsync(null, cancellationToken).ConfigureAwait(false);
            command += " " + (initial.Length == 0 ? "=" : initial);
        }

        var tag = NextTag();
        try
        {
            await WriteLineAsync(tag + " " + command, cancellationToken).ConfigureAwait(false);
            while (true)
            {
                var response = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                if (response.StartsWith("+"))
                {
                    var challenge = response.Length > 2 ? WireText.Decode(response.Buffer, response.Offset + 2, response.Length - 2) : string.Empty;
                    string answer;
                    try
                    {
                        answer = await mechanism.ChallengeAsync(challenge, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception)
                    {
                        await WriteLineAsync("*", cancellationToken).ConfigureAwait(false); // cancel the exchange
                        throw;
                    }

                    await WriteLineAsync(answer, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (response.StartsWith(tag + " "))
                {
                    if (response.StartsWith(tag + " OK"))
                    {
                        return;
                    }

                    // The server's words only: never the exchange, which carries the secret.
                    throw new AuthenticationException($"The server rejected {mechanism.MechanismName} authentication.");
                }
            }
        }
        catch (Exception ex) when (ex is not AuthenticationException && ex is not ImapRxException)
        {
            // As on the MailKit path: the credentials may have reached the server, and a server slow to refuse a
            // wrong password looks exactly like silence or a cut. Trying again could lock the account, so this is
            // final (a cancellation by the caller is turned back into one by OpenAsync).
            throw new ImapAuthenticationException(
                $"No answer from {_account.Host}:{_account.Port} after the credentials were sent ({ex.GetType().Name}). " +
                "The password or token may be wrong; it was not tried again.",
                serverAnswered: false,
                ex);
        }
    }

    private SaslMechanism PickMechanism(NetworkCredential credential)
    {
        foreach (var name in PreferredMechanisms)
        {
            if (_capabilities.Contains("AUTH=" + name))
            {
                return SaslMechanism.Create(name, credential)!;
            }
        }

        throw new AuthenticationException("The server offers no SASL mechanism this reader can use (SCRAM-SHA-256, SCRAM-SHA-1, PLAIN, LOGIN).");
    }

    /// <summary>Sends a command and hands every untagged response to <paramref name="untagged"/>; returns OK, NO or BAD.</summary>
    private async Task<string> RunAsync(string command, Action<WireResponse> untagged, CancellationToken cancellationToken, bool throwOnNo = true)
    {
        var tag = NextTag();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_account.Timeout);

        // Cancellation closes the socket: a read blocked on a silent server ends at once.
        using var registration = deadline.Token.Register(static state => ((WireSession)state!).Abort(), this);
        try
        {
            await WriteLineAsync(tag + " " + command, deadline.Token).ConfigureAwait(false);
            var tagPrefix = tag + " ";
            while (true)
            {
                // Every response already buffered is handled in one synchronous pass; the await is per read, not per
                // response.
                var (status, text) = Drain(tagPrefix, command, untagged);
                if (status is not null)
                {
                    if (status != "OK" && throwOnNo)
                    {
                        throw new WireCommandException(command.Split(' ')[0], text!);
                    }

                    return status;
                }

                await _reader.FillAsync(deadline.Token).ConfigureAwait(false);
                deadline.CancelAfter(_account.Timeout); // the timeout is for silence, not for the whole command
            }
        }
        catch (Exception ex) when (ex is ObjectDisposedException or IOException or SocketException or OperationCanceledException && deadline.IsCancellationRequested)
        {
            // A read given the deadline's token ends with OperationCanceledException when the server is silent: that
            // is a time-out (transient, resumed), unless the caller cancelled.
            if (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }

            throw new TimeoutException($"The server sent nothing for {_account.Timeout.TotalSeconds:0.#} s.", ex);
        }
    }

    /// <summary>
    /// Handles the responses the reader already holds: untagged ones (and anything not tagged as ours) go to
    /// <paramref name="untagged"/>; the tagged one ends the command with its status (and its text unless OK). A null
    /// status means more bytes are needed.
    /// </summary>
    [MethodImpl(WireJit.Hot)]
    private (string? Status, string? Text) Drain(string tagPrefix, string command, Action<WireResponse> untagged)
    {
        while (_reader.TryRead(out var response))
        {
            if (response.Length > 0 && response.Buffer[response.Offset] == (byte)'*')
            {
                if (response.StartsWith("* BYE") && command != "LOGOUT")
                {
                    throw new WireProtocolException("The server closed the session: " + response.ToText());
                }

                untagged(response);
                continue;
            }

            if (!response.StartsWith(tagPrefix))
            {
                // Not ours and not untagged (a continuation nobody asked for, or garbage): the handler decides;
                // the FETCH batch rejects it, since MailKit would fail on it.
                untagged(response);
                continue;
            }

            var status = response.StartsWith(tagPrefix + "OK") ? "OK" : response.StartsWith(tagPrefix + "NO") ? "NO" : "BAD";
            return (status, status == "OK" ? null : response.ToText());
        }

        return (null, null);
    }

    private async Task WriteLineAsync(string line, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(line + "\r\n");
        await _stream.WriteAsync(bytes, 0, bytes.Length, cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private string NextTag() => "W" + (++_tag).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Only folder names that need no modified UTF-7 reach here (see <see cref="CanName"/>).</summary>
    private static string Quote(string folder) => "\"" + folder.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    /// <summary>True when the name can be sent as a quoted string as is: printable ASCII without '&amp;'.</summary>
    internal static bool CanName(string folder)
    {
        foreach (var c in folder)
        {
            if (c < 0x20 || c > 0x7e || c == '&')
            {
                return false;
            }
        }

        return folder.Length > 0;
    }
}
