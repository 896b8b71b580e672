using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using ImapRx.Diagnostics;
using Microsoft.Extensions.Logging;

namespace ImapRx.Operations;

/// <summary>
/// The messages of one fetch (kept across its retries) whose summary MailKit could not read: a retry reads them the
/// other way at once instead of finding them again, each is counted in <see cref="CounterName"/>, and the first is logged.
/// </summary>
internal sealed class UnreadableMessages
{
    /// <summary>Messages delivered from their header because their summary could not be read.</summary>
    internal const string CounterName = "imaprx.fetch.unreadable_messages";

    private static readonly Counter<long> Counter =
        ImapRxDiagnostics.Meter.CreateCounter<long>(CounterName, "{message}", "Messages whose ENVELOPE or BODYSTRUCTURE MailKit could not read, delivered from their header with ReadIssues set");

    private static readonly Action<ILogger, string, uint, string, string, Exception?> FirstMessage =
        LoggerMessage.Define<string, uint, string, string>(
            LogLevel.Warning,
            new EventId(41, "UnreadableSummary"),
            "[{Account}] The summary of UID {Uid} in '{Folder}' could not be read ({Reason}); it and any like it in this fetch are read from their header instead, with ReadIssues set");

    private readonly HashSet<uint> _uids = new();
    private readonly ILogger _logger;
    private readonly string _account;
    private bool _logged;

    internal UnreadableMessages(ILogger logger, string account)
    {
        _logger = logger;
        _account = account;
    }

    internal bool Contains(uint uid) => _uids.Contains(uid);

    /// <summary>Counts a message found unreadable (once per fetch) and logs the first; the reason is MailKit's, never message content.</summary>
    internal void Found(uint uid, string folder, Exception reason)
    {
        if (!_uids.Add(uid))
        {
            return;
        }

        Counter.Add(1);
        if (!_logged)
        {
            _logged = true;
            // MailKit's syntax errors quote the token they met, which may be a piece of the message: keep its verdict only.
            var text = reason.Message;
            var quote = text.IndexOf(" Unexpected", StringComparison.Ordinal);
            FirstMessage(_logger, _account, uid, folder, quote > 0 ? text.Substring(0, quote) : text, null);
        }
    }
}
