using System;
using Microsoft.Extensions.Logging;

namespace ImapRx.Diagnostics;

/// <summary>Every log message, each carrying the connection id (<c>host:user#n</c>); never a secret.</summary>
internal static class Log
{
    private static readonly Action<ILogger, string, string, int, Exception?> ConnectedMessage =
        LoggerMessage.Define<string, string, int>(LogLevel.Information, new EventId(1, "Connected"), "[{ConnectionId}] Connected to {Host}:{Port}");

    // The template's placeholders are filled by position: the type arguments are in the template's order.
    private static readonly Action<ILogger, string, string, int, TimeSpan, Exception?> ConnectRetryMessage =
        LoggerMessage.Define<string, string, int, TimeSpan>(LogLevel.Warning, new EventId(2, "ConnectRetry"), "[{Account}] Connect failed ({Error}); retry {Attempt} in {Delay}");

    private static readonly Action<ILogger, string, TimeSpan, Exception?> EvictedMessage =
        LoggerMessage.Define<string, TimeSpan>(LogLevel.Debug, new EventId(3, "Evicted"), "[{ConnectionId}] Idle for {Lifetime}; closed");

    private static readonly Action<ILogger, string, Exception?> DiscardedMessage =
        LoggerMessage.Define<string>(LogLevel.Information, new EventId(4, "Discarded"), "[{ConnectionId}] Broken; discarded, never reused");

    private static readonly Action<ILogger, string, Exception?> HealthCheckFailedMessage =
        LoggerMessage.Define<string>(LogLevel.Debug, new EventId(5, "HealthCheckFailed"), "[{ConnectionId}] NOOP before reuse failed; discarding");

    private static readonly Action<ILogger, string, string, Exception?> SelectedMessage =
        LoggerMessage.Define<string, string>(LogLevel.Debug, new EventId(6, "Selected"), "[{ConnectionId}] Selected {Folder}");

    private static readonly Action<ILogger, string, string, Exception?> IdleStartedMessage =
        LoggerMessage.Define<string, string>(LogLevel.Debug, new EventId(7, "IdleStarted"), "[{ConnectionId}] IDLE started on {Folder}");

    internal static void Connected(ILogger logger, string connectionId, string host, int port) => ConnectedMessage(logger, connectionId, host, port, null);

    // The account text is host:user, the error its type name: exception messages could echo server text.
    internal static void ConnectRetry(ILogger logger, string account, int attempt, TimeSpan delay, Exception? error)
        => ConnectRetryMessage(logger, account, ErrorName(error), attempt, delay, null);

    internal static void Evicted(ILogger logger, string connectionId, TimeSpan lifetime) => EvictedMessage(logger, connectionId, lifetime, null);

    internal static void Discarded(ILogger logger, string connectionId) => DiscardedMessage(logger, connectionId, null);

    internal static void HealthCheckFailed(ILogger logger, string connectionId, Exception error) => HealthCheckFailedMessage(logger, connectionId, error);

    internal static void Selected(ILogger logger, string connectionId, string folder) => SelectedMessage(logger, connectionId, folder, null);

    internal static void IdleStarted(ILogger logger, string connectionId, string folder) => IdleStartedMessage(logger, connectionId, folder, null);

    // An ImapRx error is named by its kind and the type of the failure under it (ImapConnectionException says
    // less than "ConnectionLost: SocketException"); never its message, which could echo server text.
    private static string ErrorName(Exception? error) => error switch
    {
        null => "unknown",
        ImapRxException { InnerException: { } inner } known => $"{known.Kind}: {inner.GetType().Name}",
        ImapRxException known => known.Kind.ToString(),
        _ => error.GetType().Name,
    };
}
