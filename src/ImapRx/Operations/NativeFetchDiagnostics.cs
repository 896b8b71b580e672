using System;
using ImapRx.Diagnostics;
using Microsoft.Extensions.Logging;

namespace ImapRx.Operations;

/// <summary>What the native FETCH path reports: batches it read, batches it handed to MailKit, and why (once per fetch).</summary>
internal static class NativeFetchDiagnostics
{
    /// <summary>Batches the native reader rejected and MailKit fetched again.</summary>
    internal const string FallbacksName = ImapRxDiagnostics.NativeFetchFallbacks;

    /// <summary>Batches the native reader delivered.</summary>
    internal const string BatchesName = ImapRxDiagnostics.NativeFetchBatches;

    private static readonly Action<ILogger, string, string, Exception?> FallbackMessage =
        LoggerMessage.Define<string, string>(
            LogLevel.Information,
            new EventId(40, "NativeFetchFallback"),
            "[{Account}] The native FETCH reader could not prove it understood a batch ({Reason}); that batch and any like it in this fetch go through MailKit");

    /// <summary>Logs the first fallback of a fetch; the reason names the construct, never message content or credentials.</summary>
    internal static void Fallback(ILogger logger, string account, string reason) => FallbackMessage(logger, account, reason, null);
}
