using System;
using System.IO;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;

namespace ImapRx;

/// <summary>
/// The one place that decides what a failure is: it translates MailKit's and the network's exceptions into
/// <see cref="ImapRxException"/>s, and its table says for each <see cref="ImapErrorKind"/> whether it is retried
/// and whether the connection survives. Nothing else in ImapRx inspects a MailKit exception type.
/// </summary>
internal static class ImapErrors
{
    internal static bool IsTransient(ImapErrorKind kind) => kind == ImapErrorKind.ConnectionLost;

    internal static bool BreaksConnection(ImapErrorKind kind) => kind switch
    {
        // The server answered, so the conversation is intact: the connection goes back to the pool.
        // ResponseUnreadable breaks it: MailKit stopped reading in mid-answer (and disconnects its client itself).
        ImapErrorKind.CommandRejected or ImapErrorKind.FolderNotFound or ImapErrorKind.MessageNotFound
            or ImapErrorKind.UidValidityChanged or ImapErrorKind.LeaseTimeout or ImapErrorKind.MessageMalformed => false,
        _ => true,
    };

    /// <summary>True for a failure another attempt may cure, whatever its type (translated first).</summary>
    internal static bool IsTransient(Exception exception) => Translate(exception) is ImapRxException { IsTransient: true };

    /// <summary>
    /// True when the connection that raised <paramref name="exception"/> must be discarded. Unknown failures, a
    /// command cancelled half-way and anything the server did not answer break it; argument errors do not (they
    /// are thrown before anything is sent).
    /// </summary>
    internal static bool BreaksConnection(Exception exception) => exception is not NotAConnectionFailure && Translate(exception) switch
    {
        ImapRxException known => known.BreaksConnection,
        ArgumentException or NotSupportedException => false,
        _ => true,
    };

    /// <summary>
    /// True for a failure to read an answer the server did send (<see cref="ImapErrorKind.ResponseUnreadable"/>),
    /// as MailKit throws it or as <see cref="Translate"/> made it: the same request would fail the same way.
    /// </summary>
    internal static bool IsResponseUnreadable(Exception exception)
        => exception is ImapResponseUnreadableException || (exception is ImapProtocolException protocol && IsParserRefusal(protocol));

    /// <summary>
    /// MailKit (4.18) throws <see cref="ImapProtocolException"/> both when the stream ends ("The IMAP server has
    /// unexpectedly disconnected.", a dropped connection) and when its parser refuses what arrived in full: a string
    /// literal above its fixed 4,096-byte limit (ImapEngine.ReadLiteral: "Literal token length (N bytes) exceeds the
    /// maximum allowed size") or a response it cannot parse ("Syntax error in ..."). Only the message tells them
    /// apart. A cut never looks like a refusal: the parser waits for more bytes and meets the end of the stream
    /// first. The greeting's syntax errors stay connection failures, so a connect to a port that does not speak
    /// IMAP (or speaks TLS) keeps failing as a connect does. Checked against MailKit's wording by the tests.
    /// </summary>
    private static bool IsParserRefusal(ImapProtocolException exception)
        => exception.InnerException is null
            && exception.Message is { } message
            && (message.StartsWith("Literal token length", StringComparison.Ordinal)
                || (message.StartsWith("Syntax error in ", StringComparison.Ordinal) && message.IndexOf("greeting", StringComparison.Ordinal) < 0));

    /// <summary>True when the server answered NO (SELECT of a folder that is not there, for one).</summary>
    internal static bool IsNo(Exception exception) => exception is ImapCommandException { Response: ImapCommandResponse.No };

    /// <summary>
    /// MimeKit could not parse bytes the server delivered whole (MailKit parses only after the FETCH completed, so the
    /// connection is in step): <see cref="FormatException"/> ("End of stream." for an empty message) or MimeKit's
    /// <see cref="MimeKit.ParseException"/>. A search-syntax error is ImapRx's own and never reaches here.
    /// </summary>
    internal static bool IsUnparsable(Exception exception) => exception is FormatException or MimeKit.ParseException;

    /// <summary>MailKit's "no such message" (a FETCH that returned nothing for the UID).</summary>
    internal static bool IsMessageNotFound(Exception exception) => exception is MessageNotFoundException;

    /// <summary>
    /// A watch is meant to outlive an outage: besides transient failures it recovers from a connect whose own
    /// retries ran out on a transient failure, and keeps its own backoff going where a one-shot operation gives up.
    /// </summary>
    internal static bool IsRecoverableForWatch(Exception exception)
        => IsTransient(exception) || exception is ImapConnectException { InnerException: { } inner } && IsTransient(inner);

    /// <summary>
    /// The ImapRx form of <paramref name="exception"/>: MailKit's and the network's exceptions become
    /// <see cref="ImapRxException"/>s (the original kept as the inner exception); ImapRx's own, argument errors,
    /// cancellation and anything unknown pass through unchanged.
    /// </summary>
    /// <param name="exception">The failure.</param>
    /// <param name="operation">What was being done, for the message (e.g. <c>Search in 'INBOX'</c>); never a secret.</param>
    internal static Exception Translate(Exception exception, string? operation = null)
    {
        switch (exception)
        {
            case NotAConnectionFailure { InnerException: { } own }:
                return own;
            case ImapRxException or OperationCanceledException or ArgumentException or NotSupportedException or ObjectDisposedException:
                return exception;
            case AggregateException aggregate when aggregate.InnerExceptions.Count == 1:
                return Translate(aggregate.InnerExceptions[0], operation);
            case SslHandshakeException:
                return new ImapCertificateException(exception.Message, exception);
            case AuthenticationException:
                // MailKit quotes the server's refusal, never the credentials.
                return new ImapAuthenticationException($"The server rejected the login: {exception.Message}", serverAnswered: true, exception);
            case ImapCommandException command:
                return new ImapCommandFailedException(operation ?? "the command", command.Response == ImapCommandResponse.Bad, command.ResponseText ?? command.Message, exception);
            case Wire.WireCommandException refused:
                return new ImapCommandFailedException(operation ?? refused.Command, isBad: false, refused.Message, exception);
            case FolderNotFoundException missing:
                return new ImapFolderNotFoundException(missing.FolderName, exception);
            case MessageNotFoundException:
                return new ImapMessageNotFoundException($"{exception.Message} ({operation ?? "fetch"})", exception);
            case FileNotFoundException or FileLoadException or DirectoryNotFoundException:
                // IOExceptions about files and assemblies, not the network: another attempt cannot help.
                return exception;
            case ImapProtocolException unreadable when IsParserRefusal(unreadable):
                return new ImapResponseUnreadableException(
                    $"The server's answer{(operation is null ? string.Empty : " during " + operation)} could not be read: {exception.Message}",
                    exception);
            case SocketException or IOException or TimeoutException or ImapProtocolException or ServiceNotConnectedException:
                return new ImapConnectionException(
                    $"The connection failed{(operation is null ? string.Empty : " during " + operation)}: {exception.GetType().Name}: {exception.Message}",
                    exception);
            default:
                return exception.InnerException is { } inner && Translate(inner, operation) is ImapRxException translated
                    ? translated
                    : exception;
        }
    }
}
