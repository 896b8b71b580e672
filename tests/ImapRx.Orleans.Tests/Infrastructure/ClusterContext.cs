using System.Collections.Concurrent;
using ImapRx.Configuration;
using ImapRx.Model;
using ImapRx.Sandbox.Server;
using Microsoft.Extensions.Logging;

namespace ImapRx.Orleans.Tests.Infrastructure;

/// <summary>
/// What the silos of one test cluster share with the test: the sandbox accounts (the "secret store"), the events
/// the handler accepted, the log lines the silos wrote, the storage file and the reminder table. Silos are built by
/// type, so they find it through <see cref="Current"/>; one cluster test runs at a time (one test class).
/// </summary>
internal sealed class ClusterContext
{
    public static ClusterContext Current { get; set; } = new();

    public ConcurrentDictionary<string, (DovecotServer Server, SandboxUser User)> Accounts { get; } = new();

    public int MaxConnectionsPerAccount { get; init; } = 2;

    public string StoragePath { get; init; } = string.Empty;

    public ImapRx.Samples.Cluster.LocalReminderTable Reminders { get; } = new();

    public DeliveryLog Deliveries { get; } = new();

    public ConcurrentQueue<string> LogLines { get; } = new();

    /// <summary>How many more batches the handler refuses (throws) for an account, to prove the checkpoint waits for it.</summary>
    public ConcurrentDictionary<string, int> Refusals { get; } = new();

    /// <summary>Accounts whose resolver hands out a wrong password.</summary>
    public ConcurrentDictionary<string, bool> WrongPasswords { get; } = new();

    public ImapAccountOptions Resolve(string accountId)
    {
        var (server, user) = Accounts[accountId];
        var password = WrongPasswords.ContainsKey(accountId) ? "wrong-" + user.Password : user.Password;
        return new ImapAccountOptions(server.Host, user.Name, ImapCredential.FromPassword(password))
        {
            Encryption = ImapEncryption.Tls,
            Port = server.TlsPort,
            TrustedCertificateAuthorities = new[] { server.CaCertificate },
            MaxConnections = MaxConnectionsPerAccount,
            RetryDelay = TimeSpan.FromMilliseconds(100),
            Timeout = TimeSpan.FromSeconds(20),
        };
    }
}

/// <summary>Every message the handler accepted: account, UIDVALIDITY, UID, Message-ID, the silo and the time.</summary>
internal sealed class DeliveryLog
{
    private readonly object _gate = new();
    private readonly List<Delivery> _all = new();

    public void Add(string accountId, string silo, MessagesArrived arrived)
    {
        lock (_gate)
        {
            foreach (var message in arrived.Messages ?? throw new InvalidOperationException("Sync delivered no summaries."))
            {
                _all.Add(new Delivery(accountId, arrived.UidValidity, message.Uid, message.MessageId, silo, DateTimeOffset.UtcNow));
            }
        }
    }

    public IReadOnlyList<Delivery> Snapshot()
    {
        lock (_gate)
        {
            return _all.ToList();
        }
    }
}

internal sealed record Delivery(string AccountId, uint UidValidity, uint Uid, string MessageId, string Silo, DateTimeOffset At);

internal sealed class TestResolver : IImapAccountResolver
{
    public ValueTask<ImapAccountOptions> ResolveAsync(string accountId, CancellationToken cancellationToken)
        => ValueTask.FromResult(ClusterContext.Current.Resolve(accountId));
}

internal sealed class RecordingHandler(global::Orleans.Runtime.ILocalSiloDetails silo) : IImapEventHandler
{
    public Task HandleAsync(ImapEventBatch batch, CancellationToken cancellationToken)
    {
        var refusals = ClusterContext.Current.Refusals;
        if (refusals.TryGetValue(batch.AccountId, out var left) && left > 0 && refusals.TryUpdate(batch.AccountId, left - 1, left))
        {
            throw new InvalidOperationException("The application is down (test).");
        }

        foreach (var arrived in batch.Events.OfType<MessagesArrived>())
        {
            ClusterContext.Current.Deliveries.Add(batch.AccountId, silo.SiloAddress.ToString(), arrived);
        }

        return Task.CompletedTask;
    }
}

/// <summary>Keeps every formatted log line and exception text of the silos, to prove no password is in them.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger();

    public void Dispose()
    {
    }

    private sealed class Logger : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => ClusterContext.Current.LogLines.Enqueue(formatter(state, exception) + (exception is null ? string.Empty : " " + exception));
    }
}
