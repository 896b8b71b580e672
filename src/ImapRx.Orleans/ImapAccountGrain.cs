using System;
using System.Collections.Generic;
using System.Linq;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using ImapRx.Sync;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace ImapRx.Orleans;

/// <summary>
/// One account: Sync every folder from its checkpoint, then Sync again whenever Watch says the folder changed
/// (and on every reminder tick, as a safety net). Events reach the application only through Sync, so a checkpoint
/// always covers exactly what the handler accepted; Watch is the doorbell, not the source. Subscribing to Watch
/// before the first Sync and syncing again once Watch is connected closes the gap between the two.
/// </summary>
[AccountPlacement]
[KeepAlive]
internal sealed partial class ImapAccountGrain : Grain, IImapAccountGrain, IRemindable
{
    internal const string ReminderName = "imaprx-account";

    private readonly IPersistentState<ImapAccountGrainState> _state;
    private readonly IImapAccountResolver _resolver;
    private readonly IImapEventHandler _handler;
    private readonly ImapRxOrleansOptions _options;
    private readonly ILogger<ImapAccountGrain> _logger;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILocalSiloDetails _silo;
    private readonly IClusterMembershipService _membership;
    private readonly Channel<string?> _wake = Channel.CreateUnbounded<string?>();
    private readonly CancellationTokenSource _shutdown = new();
    private CancellationTokenSource? _connection;
    private CancellationTokenRegistration _hostStopping;
    private Task? _loop;
    private long _batches;
    private string? _lastError;
    private DateTimeOffset _activatedAt;
    private bool _stopping;
    private bool _parked;
    private int _syncedSinceFailure;

    public ImapAccountGrain(
        [PersistentState("account", ImapRxOrleansOptions.StorageName)] IPersistentState<ImapAccountGrainState> state,
        IImapAccountResolver resolver,
        IImapEventHandler handler,
        IOptions<ImapRxOrleansOptions> options,
        ILogger<ImapAccountGrain> logger,
        IHostApplicationLifetime lifetime,
        ILocalSiloDetails silo,
        IClusterMembershipService membership)
    {
        _state = state;
        _resolver = resolver;
        _handler = handler;
        _options = options.Value;
        _logger = logger;
        _lifetime = lifetime;
        _silo = silo;
        _membership = membership;
    }

    private string AccountId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _activatedAt = DateTimeOffset.UtcNow;

        // A silo that stops (or is killed) stops talking to the server at once: its accounts are about to be
        // activated elsewhere, and two live sessions for one account would break the account's connection limit.
        _hostStopping = _lifetime.ApplicationStopping.Register(() => _shutdown.Cancel());
        if (_state.State.Enabled)
        {
            StartLoop();
        }

        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await StopLoopAsync().ConfigureAwait(true);
        _hostStopping.Dispose();
        if (_state.State.Enabled && !_stopping && !_lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // Moved or collected while it should run: the next activation goes where placement says now, at once,
            // instead of waiting for the reminder. Not when the silo itself stops: then, as after a crash, the
            // reminder brings the account back on another silo (one mechanism for both, and the one tested).
            Log.Reactivating(_logger, AccountId, reason.ReasonCode.ToString());
            _ = WakeElsewhereAsync();
        }
    }

    public async Task StartAsync(IReadOnlyList<string> folders)
    {
        if (folders is null || folders.Count == 0)
        {
            throw new ArgumentException("At least one folder is required.", nameof(folders));
        }

        if (folders.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("Folder names must not be empty.", nameof(folders));
        }

        var wanted = folders.Distinct(StringComparer.Ordinal).ToList();
        var changed = !_state.State.Enabled || !wanted.SequenceEqual(_state.State.Folders, StringComparer.Ordinal);
        _stopping = false;
        _parked = false; // the application says go: perhaps the credentials were fixed
        if (changed)
        {
            _state.State.Enabled = true;
            _state.State.Folders = wanted;
            await _state.WriteStateAsync().ConfigureAwait(true);
        }

        await this.RegisterOrUpdateReminder(ReminderName, _options.ReminderPeriod, _options.ReminderPeriod).ConfigureAwait(true);
        if (changed)
        {
            _connection?.Cancel(); // the loop reconnects with the new folders
        }

        StartLoop();
    }

    public async Task StopAsync()
    {
        _stopping = true;
        _state.State.Enabled = false;
        await _state.WriteStateAsync().ConfigureAwait(true);
        var reminder = await this.GetReminder(ReminderName).ConfigureAwait(true);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder).ConfigureAwait(true);
        }

        await StopLoopAsync().ConfigureAwait(true);
        DeactivateOnIdle();
    }

    public Task<ImapAccountStatus> GetStatusAsync() => Task.FromResult(new ImapAccountStatus
    {
        AccountId = AccountId,
        Silo = _silo.SiloAddress.ToString(),
        Enabled = _state.State.Enabled,
        Running = _loop is { IsCompleted: false },
        Folders = _state.State.Folders.ToList(),
        BatchesDelivered = Interlocked.Read(ref _batches),
        LastError = _lastError,
        ActivatedAt = _activatedAt,
    });

    public Task WakeAsync()
    {
        if (_state.State.Enabled)
        {
            StartLoop();
        }

        return Task.CompletedTask;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ReminderName)
        {
            return;
        }

        if (!_state.State.Enabled)
        {
            var reminder = await this.GetReminder(ReminderName).ConfigureAwait(true);
            if (reminder is not null)
            {
                await this.UnregisterReminder(reminder).ConfigureAwait(true);
            }

            DeactivateOnIdle();
            return;
        }

        if (_options.RebalanceOnJoin && BelongsElsewhere() is { } target)
        {
            Log.Moving(_logger, AccountId, _silo.SiloAddress.ToString(), target.ToString());
            DeactivateOnIdle();
            return;
        }

        StartLoop();
        _wake.Writer.TryWrite(null); // safety net: re-sync every folder now and then
    }

    private SiloAddress? BelongsElsewhere()
    {
        var active = _membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active)
            .Select(m => m.SiloAddress)
            .ToList();
        var preferred = AccountPlacement.Choose(AccountId, active);
        return preferred is null || preferred.Equals(_silo.SiloAddress) ? null : preferred;
    }

    private async Task WakeElsewhereAsync()
    {
        try
        {
            await GrainFactory.GetGrain<IImapAccountGrain>(AccountId).WakeAsync().ConfigureAwait(true);
        }
        catch (Exception ex)
        {
            // The reminder brings the account back anyway; this only makes it faster.
            Log.WakeFailed(_logger, AccountId, ex.GetType().Name);
        }
    }

    private void StartLoop()
    {
        if (_loop is { IsCompleted: false } || _shutdown.IsCancellationRequested || _parked)
        {
            return;
        }

        // Started in the grain's context, so every continuation of the loop runs as a turn of this grain.
        _loop = RunAsync(_shutdown.Token);
    }

    private async Task StopLoopAsync()
    {
        _shutdown.Cancel();
        if (_loop is { } loop)
        {
            await Task.WhenAny(loop, Task.Delay(_options.StopTimeout)).ConfigureAwait(true);
            if (!loop.IsCompleted)
            {
                Log.StopTimedOut(_logger, AccountId, _options.StopTimeout);
            }
        }
    }

    private async Task RunAsync(CancellationToken shutdown)
    {
        var delay = _options.RetryDelay;
        while (!shutdown.IsCancellationRequested)
        {
            using var connection = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
            _connection = connection;
            try
            {
                await RunConnectedAsync(connection.Token).ConfigureAwait(true);
            }
            catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
            {
                break;
            }
            catch (OperationCanceledException) when (connection.IsCancellationRequested)
            {
                continue; // the folders changed: reconnect at once
            }
            catch (Exception ex) when (IsAuthenticationFailure(ex))
            {
                // Never retry a refused login on a timer: that is how accounts get locked. The account waits
                // for the application to call StartAsync again (a new activation also tries once).
                _lastError = $"{ex.GetType().Name}: {ex.Message}";
                _parked = true;
                Log.LoginRefused(_logger, AccountId);
                break;
            }
            catch (Exception ex)
            {
                // A connection that synced before it failed was healthy: start the backoff over, so a failure
                // weeks after the last one does not wait the longest delay an old outage grew to.
                TimeSpan wait;
                (wait, delay) = Backoff(delay, Interlocked.Exchange(ref _syncedSinceFailure, 0) != 0, _options);
                _lastError = $"{ex.GetType().Name}: {ex.Message}";
                Log.LoopFailed(_logger, ex, AccountId, wait);
                if (ex is InconsistentStateException)
                {
                    // Another activation wrote the state (a brief double activation during a membership change):
                    // take its checkpoints rather than overwrite them.
                    await _state.ReadStateAsync().ConfigureAwait(true);
                }

                try
                {
                    await Task.Delay(wait, shutdown).ConfigureAwait(true);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                continue;
            }
            finally
            {
                _connection = null;
            }
        }
    }

    private async Task RunConnectedAsync(CancellationToken cancellationToken)
    {
        var folders = _state.State.Folders.ToList();
        var account = await _resolver.ResolveAsync(AccountId, cancellationToken).ConfigureAwait(true);
        var client = new ImapRxClient(account);
        try
        {
            var watchFailed = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);

            // Subscribed before the first Sync: anything that arrives meanwhile rings the bell, and the watch's own
            // "connected" event asks for one more Sync once it is listening, so nothing falls between the two.
            using var watch = client.Watch(folders, _options.Watch).Subscribe(
                e => _wake.Writer.TryWrite(string.IsNullOrEmpty(e.Folder) ? null : e.Folder),
                ex => watchFailed.TrySetResult(ex));
            var dirty = new HashSet<string>(folders, StringComparer.Ordinal);
            while (true)
            {
                foreach (var folder in folders.Where(dirty.Contains).ToList())
                {
                    await SyncFolderAsync(client, folder, cancellationToken).ConfigureAwait(true);
                    dirty.Remove(folder);
                }

                var signal = _wake.Reader.WaitToReadAsync(cancellationToken).AsTask();
                var first = await Task.WhenAny(signal, watchFailed.Task).ConfigureAwait(true);
                if (first == watchFailed.Task)
                {
                    throw new InvalidOperationException("The watch of account '" + AccountId + "' failed: " + watchFailed.Task.Result.Message, watchFailed.Task.Result);
                }

                await signal.ConfigureAwait(true);
                while (_wake.Reader.TryRead(out var folder))
                {
                    if (folder is null || !folders.Contains(folder, StringComparer.Ordinal))
                    {
                        dirty.UnionWith(folders);
                    }
                    else
                    {
                        dirty.Add(folder);
                    }
                }
            }
        }
        finally
        {
            // Disposing the client closes its pool: every connection logs out.
            await client.DisposeAsync().ConfigureAwait(true);
        }
    }

    private async Task SyncFolderAsync(ImapRxClient client, string folder, CancellationToken cancellationToken)
    {
        _state.State.Checkpoints.TryGetValue(folder, out var stored);
        var store = new PendingCheckpointStore(stored?.ToCheckpoint());
        var options = new SyncOptions { Key = folder, BatchSize = _options.Sync.BatchSize, IncludeSummaries = _options.Sync.IncludeSummaries };
        var events = await client.Sync(folder, store, options).ToList().ToTask(cancellationToken).ConfigureAwait(true);
        if (events.Count > 0)
        {
            await _handler.HandleAsync(new ImapEventBatch { AccountId = AccountId, Folder = folder, Events = events.ToList() }, cancellationToken).ConfigureAwait(true);
            Interlocked.Increment(ref _batches);
        }

        // Only now, with the handler done, may the checkpoint move. A crash before this write means the next
        // activation delivers the same events again (at-least-once), never that they are lost.
        if (store.Saved is { } saved && (events.Count > 0 || stored is null || !SameScalars(stored.ToCheckpoint(), saved)))
        {
            _state.State.Checkpoints[folder] = StoredCheckpoint.From(saved);
            await _state.WriteStateAsync().ConfigureAwait(true);
        }

        _lastError = null;
        Volatile.Write(ref _syncedSinceFailure, 1);
    }

    /// <summary>
    /// After a failure: how long to wait now, and the wait for the failure after it (doubled, up to
    /// <see cref="ImapRxOrleansOptions.MaxRetryDelay"/>). A connection that synced before failing was healthy, so
    /// the backoff starts over from <see cref="ImapRxOrleansOptions.RetryDelay"/>.
    /// </summary>
    internal static (TimeSpan Wait, TimeSpan Next) Backoff(TimeSpan next, bool syncedBeforeFailing, ImapRxOrleansOptions options)
    {
        var wait = syncedBeforeFailing ? options.RetryDelay : next;
        return (wait, TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, options.MaxRetryDelay.Ticks)));
    }

    private static bool IsAuthenticationFailure(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is MailKit.Security.AuthenticationException)
            {
                return true;
            }
        }

        return false;
    }

    private static bool SameScalars(SyncCheckpoint a, SyncCheckpoint b)
        => a.UidValidity == b.UidValidity && a.UidNext == b.UidNext && a.HighestModSeq == b.HighestModSeq
           && a.LastSeenUid == b.LastSeenUid && a.KnownUids == b.KnownUids && a.KnownFlags is null && b.KnownFlags is null;

    /// <summary>Hands Sync the stored checkpoint and keeps the new one until the grain has delivered the events.</summary>
    private sealed class PendingCheckpointStore(SyncCheckpoint? initial) : ISyncStateStore
    {
        public SyncCheckpoint? Saved { get; private set; }

        public Task<SyncCheckpoint?> LoadAsync(string key, CancellationToken cancellationToken = default) => Task.FromResult(initial);

        public Task SaveAsync(string key, SyncCheckpoint checkpoint, CancellationToken cancellationToken = default)
        {
            Saved = checkpoint;
            return Task.CompletedTask;
        }

        public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
        {
            Saved = null;
            return Task.CompletedTask;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Account {AccountId}: sync/watch loop failed; retrying in {Delay}")]
        public static partial void LoopFailed(ILogger logger, Exception exception, string accountId, TimeSpan delay);

        [LoggerMessage(2, LogLevel.Information, "Account {AccountId} moves from {From} to {To}")]
        public static partial void Moving(ILogger logger, string accountId, string from, string to);

        [LoggerMessage(3, LogLevel.Information, "Account {AccountId} deactivated ({Reason}) while started; waking it where it belongs")]
        public static partial void Reactivating(ILogger logger, string accountId, string reason);

        [LoggerMessage(4, LogLevel.Debug, "Account {AccountId}: waking after deactivation failed ({Error}); the reminder will")]
        public static partial void WakeFailed(ILogger logger, string accountId, string error);

        [LoggerMessage(6, LogLevel.Error, "Account {AccountId}: the server refused the login; not retrying until the account is started again")]
        public static partial void LoginRefused(ILogger logger, string accountId);

        [LoggerMessage(5, LogLevel.Warning, "Account {AccountId}: the loop did not stop within {Timeout}")]
        public static partial void StopTimedOut(ILogger logger, string accountId, TimeSpan timeout);
    }
}
