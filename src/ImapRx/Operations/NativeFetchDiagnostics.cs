using System;
using System.Diagnostics.Metrics;
using ImapRx.Diagnostics;
using Microsoft.Extensions.Logging;

namespace ImapRx.Operations;

/// <summary>What the native FETCH path reports: batches it read, batches it handed to MailKit, and why (once per fetch).</summary>
internal static class NativeFetchDiagnostics
{
    /// <summary>Batches the native reader rejected and MailKit fetched again.</summary>
    internal const string FallbacksName = "imaprx.fetch.native_fallbacks";

    /// <summary>Batches the native reader delivered.</summary>
    internal const string BatchesName = "imaprx.fetch.native_batches";

    internal static readonly Counter<long> Fallbacks =
        ImapRxDiagnostics.Meter.CreateCounter<long>(FallbacksName, "{batch}", "FETCH batches the native reader rejected and MailKit fetched again");

    internal static readonly Counter<long> Batches =
        ImapRxDiagnostics.Meter.CreateCounter<long>(BatchesName, "{batch}", "FETCH batches read by the native reader");

    private static readonly Action<ILogger, string, string, Exception?> FallbackMessage =
        LoggerMessage.Define<string, string>(
            LogLevel.Information,
            new EventId(40, "NativeFetchFallback"),
            "[{Account}] The native FETCH reader could not prove it understood a batch ({Reason}); that batch and any like it in this fetch go through MailKit");

    /// <summary>Logs the first fallback of a fetch; the reason names the construct, never message content or credentials.</summary>
    internal static void Fallback(ILogger logger, string account, string reason) => FallbackMessage(logger, account, reason, null);
}
