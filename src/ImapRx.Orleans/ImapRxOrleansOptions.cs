using System;
using ImapRx.Sync;
using ImapRx.Watching;

namespace ImapRx.Orleans;

/// <summary>How account grains behave on a silo. Values are checked when they are set.</summary>
public sealed class ImapRxOrleansOptions
{
    /// <summary>The name of the grain storage provider account grains use; register one under this name.</summary>
    public const string StorageName = "imaprx";

    private TimeSpan _reminderPeriod = TimeSpan.FromMinutes(1);
    private TimeSpan _retryDelay = TimeSpan.FromSeconds(1);
    private TimeSpan _maxRetryDelay = TimeSpan.FromMinutes(1);
    private TimeSpan _stopTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often the reminder wakes each running account: after a silo failure the account is back on another silo
    /// within about this long (plus the membership's failure detection), and each tick also re-syncs every folder as
    /// a safety net and moves the account if a silo joined that it now belongs to.
    /// </summary>
    /// <value>The default is 1 minute, Orleans' minimum reminder period unless <c>ReminderOptions.MinimumReminderPeriod</c> is lowered.</value>
    public TimeSpan ReminderPeriod
    {
        get => _reminderPeriod;
        set => _reminderPeriod = value >= TimeSpan.FromSeconds(1) && value <= TimeSpan.FromDays(1)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(ReminderPeriod), value, "Must be between 1 second and 1 day.");
    }

    /// <summary>
    /// The first wait after the account's loop failed (server down, connection lost); doubles with each failure up to
    /// <see cref="MaxRetryDelay"/>, and starts over once a connection has synced again.
    /// </summary>
    /// <value>The default is 1 second.</value>
    public TimeSpan RetryDelay
    {
        get => _retryDelay;
        set => _retryDelay = value > TimeSpan.Zero && value <= TimeSpan.FromHours(1)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(RetryDelay), value, "Must be positive and at most 1 hour.");
    }

    /// <summary>The longest wait between failed attempts.</summary>
    /// <value>The default is 1 minute.</value>
    public TimeSpan MaxRetryDelay
    {
        get => _maxRetryDelay;
        set => _maxRetryDelay = value > TimeSpan.Zero && value <= TimeSpan.FromDays(1)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxRetryDelay), value, "Must be positive and at most 1 day.");
    }

    /// <summary>How long deactivation waits for the loop to stop and log out.</summary>
    /// <value>The default is 10 seconds.</value>
    public TimeSpan StopTimeout
    {
        get => _stopTimeout;
        set => _stopTimeout = value > TimeSpan.Zero && value <= TimeSpan.FromMinutes(5)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(StopTimeout), value, "Must be positive and at most 5 minutes.");
    }

    /// <summary>Whether an account moves to the silo it belongs to (rendezvous hashing over the active silos) when silos join.</summary>
    /// <value>The default is true.</value>
    public bool RebalanceOnJoin { get; set; } = true;

    /// <summary>How each folder sync reports (batch size, summaries). <see cref="SyncOptions.Key"/> is set by the grain.</summary>
    /// <value>The default is <see cref="SyncOptions"/>' defaults.</value>
    public SyncOptions Sync { get; set; } = new();

    /// <summary>How the account's folders are watched between syncs.</summary>
    /// <value>The default is <see cref="WatchOptions.Default"/>.</value>
    public WatchOptions Watch { get; set; } = WatchOptions.Default;
}
