using System;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Threading;
using System.Threading.Tasks;
using ImapRx.Configuration;
using MailKit;
using MailKit.Net.Imap;

namespace ImapRx.Pooling;

/// <summary>
/// One authenticated connection to an account, owned by the pool. Users see it through an
/// <see cref="ImapLease"/>; it is never shared by two leases at once.
/// </summary>
internal sealed class ImapConnection : IAsyncDisposable
{
    private readonly BehaviorSubject<ImapConnectionState> _state = new(ImapConnectionState.Disconnected);
    private readonly IScheduler _scheduler;
    private int _disposed;

    internal ImapConnection(ImapAccountOptions account, int number, ImapClient client, IScheduler scheduler)
    {
        Account = account;
        Client = client;
        _scheduler = scheduler;
        ConnectionId = $"{account.Host}:{account.Username}#{number}";
        CreatedAt = scheduler.Now;
        LastUsedAt = CreatedAt;
    }

    /// <summary>The connection id used in every log line: <c>host:user#n</c>.</summary>
    internal string ConnectionId { get; }

    /// <summary>The account this connection belongs to.</summary>
    internal ImapAccountOptions Account { get; }

    /// <summary>
    /// The MailKit client. Use it only while you hold the lease; do not disconnect it
    /// (call <see cref="ImapLease.Invalidate"/> instead).
    /// </summary>
    internal ImapClient Client { get; }

    /// <summary>The current state.</summary>
    internal ImapConnectionState State => _state.Value;

    /// <summary>The state as a stream: replays the current state, completes when the connection is disposed.</summary>
    internal IObservable<ImapConnectionState> States => _state.AsObservable();

    /// <summary>When the connection was opened (scheduler time).</summary>
    internal DateTimeOffset CreatedAt { get; }

    /// <summary>When the connection was last handed back to the pool (scheduler time).</summary>
    internal DateTimeOffset LastUsedAt { get; set; }

    /// <summary>True once the connection broke; a broken connection is never handed out again.</summary>
    internal bool IsBroken => State == ImapConnectionState.Error || !Client.IsConnected || !Client.IsAuthenticated;

    /// <summary>The folder currently selected, if any.</summary>
    internal IMailFolder? SelectedFolder => OpenFolder is { IsOpen: true } folder ? folder : null;

    internal void SetState(ImapConnectionState state)
    {
        if (Volatile.Read(ref _disposed) == 0 && _state.Value != state)
        {
            _state.OnNext(state);
        }
    }

    internal void Touch() => LastUsedAt = _scheduler.Now;

    /// <inheritdoc/>
    public override string ToString() => $"{ConnectionId} ({State})";

    /// <summary>Logs out (best effort) and closes the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            if (Client.IsConnected)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await Client.DisconnectAsync(quit: State != ImapConnectionState.Error, cts.Token).ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            // The socket is going away either way; a failed LOGOUT changes nothing.
        }
        finally
        {
            Client.Dispose();
            _state.OnNext(ImapConnectionState.Disconnected);
            _state.OnCompleted();
            _state.Dispose();
        }
    }

    // The folder a lease last opened; MailKit keeps no public "selected folder" on the client.
    internal IMailFolder? OpenFolder { get; set; }

    // Who selected OpenFolder: the scope of one parallel fetch, or null. See ImapLease.OpenFolderAsync.
    internal object? SelectionScope { get; set; }
}
