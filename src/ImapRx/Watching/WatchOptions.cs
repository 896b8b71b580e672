using System;
using ImapRx.Configuration;

namespace ImapRx.Watching;

/// <summary>How a watch keeps its IDLE alive and what its events carry.</summary>
public sealed class WatchOptions
{
    private TimeSpan? _idleTimeout;
    private TimeSpan _pollInterval = TimeSpan.FromSeconds(60);
    private int? _maxReconnectAttempts;
    private TimeSpan? _heartbeatAfter = DefaultHeartbeatAfter;

    /// <summary>The default of <see cref="HeartbeatAfter"/>: 60 seconds.</summary>
    public static readonly TimeSpan DefaultHeartbeatAfter = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Restart IDLE after this long; null takes the account's <see cref="ImapAccountOptions.IdleTimeout"/>
    /// (900 s). Never above 29 minutes (RFC 2177).
    /// </summary>
    public TimeSpan? IdleTimeout
    {
        get => _idleTimeout;
        set => _idleTimeout = value is null || (value > TimeSpan.Zero && value <= ImapAccountDefaults.MaxIdleTimeout)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(IdleTimeout), value, "IdleTimeout must be above 0 and at most 29 minutes.");
    }

    /// <summary>
    /// During IDLE, when the server has sent nothing for this long, end IDLE (DONE) and expect its answer within the
    /// account's <see cref="ImapAccountOptions.Timeout"/>; no answer means the connection is presumed dead and the
    /// watch reconnects. So a connection that died without a word (NAT time-out, sleep, a Wi-Fi change) is noticed
    /// within <c>HeartbeatAfter + Timeout</c>: 90 s with the defaults. A server that speaks (a change, or Dovecot's
    /// "* OK Still here") restarts the count, and a healthy quiet connection costs one DONE/IDLE round trip per
    /// silent <c>HeartbeatAfter</c>. Null turns the check off: silence is then noticed only at the next IDLE restart.
    /// </summary>
    /// <value>The default is 60 seconds; allowed 1 second to 29 minutes, or null.</value>
    public TimeSpan? HeartbeatAfter
    {
        get => _heartbeatAfter;
        set => _heartbeatAfter = value is null || (value >= TimeSpan.FromSeconds(1) && value <= ImapAccountDefaults.MaxIdleTimeout)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(HeartbeatAfter), value, "HeartbeatAfter must be between 1 second and 29 minutes (null turns it off).");
    }

    /// <summary>How often to poll (NOOP) on servers without IDLE.</summary>
    /// <value>The default is 60 seconds; allowed 1 second to 1 hour.</value>
    public TimeSpan PollInterval
    {
        get => _pollInterval;
        set => _pollInterval = value >= TimeSpan.FromSeconds(1) && value <= TimeSpan.FromHours(1)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(PollInterval), value, "PollInterval must be between 1 second and 1 hour.");
    }

    /// <summary>
    /// How many reconnects in a row (without a successful resynchronisation in between) before the watch
    /// fails with the last error; null never gives up. Each attempt is announced as a
    /// <see cref="Model.WatchReconnecting"/> event and waits out the account's backoff (RetryDelay doubling up to
    /// MaxRetryDelay). Authentication failures and other permanent errors end the watch at once regardless.
    /// </summary>
    /// <value>The default is null: keep trying, because a watch is meant to outlive outages.</value>
    public int? MaxReconnectAttempts
    {
        get => _maxReconnectAttempts;
        set => _maxReconnectAttempts = value is null or >= 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxReconnectAttempts), value, "MaxReconnectAttempts must be 0 or more (null for no limit).");
    }

    /// <summary>
    /// For a multi-folder watch: use NOTIFY (RFC 5465) where the server offers it, so all folders share one
    /// connection instead of one IDLE connection each.
    /// </summary>
    /// <value>The default is true.</value>
    public bool UseNotify { get; set; } = true;

    /// <summary>Fetch the summaries of arrived messages into <see cref="Model.MessagesArrived.Messages"/>.</summary>
    /// <value>The default is false: UIDs only.</value>
    public bool IncludeSummaries { get; set; }

    /// <summary>Emit the status events (connected, idling, reconnecting, resumed) as well as mailbox changes.</summary>
    /// <value>The default is true.</value>
    public bool IncludeStatusEvents { get; set; } = true;

    /// <summary>The account's defaults.</summary>
    public static WatchOptions Default => new();

    /// <summary>Gmail drops idle sessions near 10 minutes: restart IDLE every 9.</summary>
    public static WatchOptions Gmail => new() { IdleTimeout = TimeSpan.FromMinutes(9) };

    /// <summary>Microsoft 365 / Outlook.com and many NAT gateways cut quiet connections sooner: restart every 4 minutes.</summary>
    public static WatchOptions Aggressive => new() { IdleTimeout = TimeSpan.FromMinutes(4) };

    internal string Key(string folder) => $"{folder}\u0001{IdleTimeout}\u0001{PollInterval}\u0001{IncludeSummaries}\u0001{IncludeStatusEvents}\u0001{MaxReconnectAttempts}\u0001{UseNotify}\u0001{HeartbeatAfter}";
}
