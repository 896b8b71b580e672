using System;
using System.IO;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;

namespace ImapRx.Resilience;

/// <summary>
/// The one place that decides which failures are worth another try and which connections
/// must be thrown away.
/// </summary>
public static class TransientErrors
{
    /// <summary>
    /// True for failures another attempt may cure: refused or dropped connections, time-outs,
    /// DNS failures, protocol errors from a broken stream. Never for authentication failures,
    /// NO/BAD replies, bad arguments or cancellation by the caller.
    /// </summary>
    public static bool IsTransient(Exception exception)
    {
        switch (exception)
        {
            case null:
                return false;
            case AuthenticationException:
            case ImapCommandException:
            case ArgumentException:
            case OperationCanceledException:
            case ImapFolderNotFoundException:
            case FolderNotFoundException:
            case SslHandshakeException:
            case Pooling.ImapConnectException: // its retries are already spent
            case ImapUidValidityChangedException:
            case FileNotFoundException: // IOExceptions, but about assemblies and files, not the network
            case FileLoadException:
            case DirectoryNotFoundException:
                return false;
            case SocketException:
            case IOException:
            case TimeoutException:
            case ImapProtocolException:
            case ServiceNotConnectedException:
                return true;
            case AggregateException aggregate when aggregate.InnerExceptions.Count == 1:
                return IsTransient(aggregate.InnerExceptions[0]);
            default:
                return exception.InnerException is { } inner && IsTransient(inner);
        }
    }

    /// <summary>
    /// True when the connection that raised <paramref name="exception"/> can no longer be trusted
    /// and must be discarded. A NO/BAD reply (<see cref="ImapCommandException"/>) leaves it usable.
    /// </summary>
    public static bool BreaksConnection(Exception exception) => exception switch
    {
        ImapCommandException => false,
        FolderNotFoundException => false,
        ImapFolderNotFoundException => false,
        ArgumentException => false,
        MessageNotFoundException => false,
        _ => true,
    };
}
