using System.Diagnostics;
using ImapRx.Orleans;
using ImapRx.Sandbox.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Hosting;

namespace ImapRx.Samples.Cluster;

/// <summary>What a demo run counted: the numbers it prints last.</summary>
public sealed record ClusterDemoResult(int Appended, int Handled, int Unique, int Duplicates, int Lost, int OnStoppedSilo, int Moved)
{
    /// <summary>Every message handled, every account of the stopped silo running on the other.</summary>
    public bool Succeeded => Lost == 0 && Moved == OnStoppedSilo && Unique == Appended;
}

/// <summary>
/// The demo: a sandbox Dovecot, two silos, a set of accounts kept in sync while an appender writes to every mailbox;
/// silo-2 stops midway, its accounts move to silo-1, and the counts show that nothing was lost.
/// </summary>
public static class ClusterDemo
{
    private const string Inbox = "INBOX";

    public static async Task<ClusterDemoResult> RunAsync(ClusterDemoOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        var clock = Stopwatch.StartNew();
        void Say(string line)
        {
            lock (output)
            {
                output.WriteLine($"{clock.Elapsed.TotalSeconds,6:0.0}s  {line}");
            }
        }

        Say("Starting a sandbox Dovecot on 127.0.0.1 ...");
        await using var server = await DovecotServer.StartAsync(cancellationToken: cancellationToken);
        Say($"Dovecot pid {server.MasterPid}, IMAPS on 127.0.0.1:{server.TlsPort}, directory {server.RootDirectory}");

        var accounts = new SandboxAccounts();
        var ids = new List<string>();
        for (var i = 1; i <= options.Accounts; i++)
        {
            ids.Add(accounts.Add(server, await server.CreateUserAsync($"mailbox{i:D2}", cancellationToken)));
        }

        // An independent appender: its own IMAP session per mailbox, APPEND like any mail client, each UID noted.
        var appender = new Appender(server, accounts);
        await using var appenderCleanup = appender;
        for (var n = 0; n < options.Seeded; n++)
        {
            await appender.AppendRoundAsync(ids, cancellationToken);
        }

        Say($"{ids.Count} mailboxes with {options.Seeded} messages each: {string.Join(", ", ids)}");

        var handled = new HandledMessages();
        Say("Starting 2 silos (development clustering on 127.0.0.1: silo-1 is the primary and holds the membership table) ...");
        await using var cluster = await LocalCluster.StartAsync(
            2,
            silo =>
            {
                // begin-snippet: cluster-accounts
                silo.Services.AddSingleton(accounts); // the account store every silo reads credentials from
                silo.Services.AddSingleton(handled);  // where the handler puts what it accepted
                silo.AddImapRx<SandboxAccountResolver, RecordingHandler>(o =>
                {
                    o.ReminderPeriod = options.ReminderPeriod; // 2 s here; Orleans' minimum is lowered by LocalCluster
                    o.RetryDelay = TimeSpan.FromMilliseconds(200);
                    o.MaxRetryDelay = TimeSpan.FromSeconds(2);
                });
                // end-snippet
            },
            logging => logging.AddProvider(new PrefixedLoggerProvider(Say)).AddFilter((category, level) => category?.StartsWith("ImapRx", StringComparison.Ordinal) == true && level >= LogLevel.Information),
            cancellationToken);
        foreach (var silo in cluster.Silos)
        {
            Say($"  {silo}");
        }

        handled.BatchHandled = (silo, account, uids) => Say($"  [{cluster.NameOf(silo)}] {account}: handled UID {string.Join(", ", uids)}");

        var grains = ids.ToDictionary(id => id, id => cluster.GrainFactory.GetGrain<IImapAccountGrain>(id));
        await Task.WhenAll(grains.Values.Select(g => g.StartAsync(new[] { Inbox })));
        var owners = await OwnersAsync(grains, cluster);
        Say("Accounts started: Sync from the checkpoint, then Watch. Who owns which account:");
        PrintOwners(owners, cluster, Say);

        // The appender goes on by itself; silo-2 stops while it runs.
        var stopAfter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var appending = Task.Run(
            async () =>
            {
                for (var round = 1; round <= options.Rounds; round++)
                {
                    await Task.Delay(options.Interval, cancellationToken);
                    await appender.AppendRoundAsync(ids, cancellationToken);
                    Say($"Appender: round {round} of {options.Rounds}, one message to each of {ids.Count} mailboxes ({appender.Count} so far)");
                    if (round == options.StopAfterRound)
                    {
                        stopAfter.TrySetResult();
                    }
                }
            },
            cancellationToken);

        await stopAfter.Task.WaitAsync(cancellationToken);
        var victim = cluster.Silos[1];
        var leaving = owners.Where(o => o.Value == victim.Address).Select(o => o.Key).Order(StringComparer.Ordinal).ToList();
        Say($"Stopping {victim.Name} {(options.Kill ? "ungracefully (as a crash looks)" : "gracefully")}; it owns {leaving.Count} account(s): {string.Join(", ", leaving)}");
        var stoppedAt = Stopwatch.StartNew();
        var stoppedAtUtc = DateTimeOffset.UtcNow;
        await cluster.StopSiloAsync(victim, options.Kill, cancellationToken);
        Say($"{victim.Name} stopped in {stoppedAt.Elapsed.TotalSeconds:0.0} s; its accounts come back on silo-1 by their reminder (every {options.ReminderPeriod.TotalSeconds:0} s)");

        // Each account of the stopped silo: when it hands over mail again, and from where. Watched through the
        // handler, not by calling the grains: a call would activate the account itself, and the point is that
        // nobody has to (its reminder does it, as after a crash).
        var moved = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        var deadline = Stopwatch.StartNew();
        var expected = appender.Appended;
        while ((moved.Count < leaving.Count || !appending.IsCompleted || !AllHandled(handled, expected = appender.Appended)) && deadline.Elapsed < options.Timeout)
        {
            foreach (var first in handled.Snapshot()
                .Where(h => h.At > stoppedAtUtc && h.Silo != victim.Address && leaving.Contains(h.AccountId) && !moved.ContainsKey(h.AccountId))
                .GroupBy(h => h.AccountId)
                .Select(g => g.MinBy(h => h.At)!))
            {
                moved[first.AccountId] = first.At - stoppedAtUtc;
                Say($"  {first.AccountId} moved {victim.Name} -> {cluster.NameOf(first.Silo)}: handling mail there {moved[first.AccountId].TotalSeconds:0.0} s after the stop began");
            }

            await Task.Delay(100, cancellationToken);
        }

        await appending;
        await appender.DisposeAsync(); // its own sessions log out, so what is left open below is the grains'

        owners = await OwnersAsync(grains, cluster);
        Say("Who owns which account now:");
        PrintOwners(owners, cluster, Say);

        var result = Count(handled.Snapshot(), expected, leaving.Count, moved.Count);
        foreach (var silo in cluster.Silos)
        {
            Say($"  {silo.Name} handled {handled.Snapshot().Count(h => h.Silo == silo.Address)} message(s)");
        }

        Say($"Appended {result.Appended}, handled {result.Handled}, duplicates removed by (UIDVALIDITY, UID) {result.Duplicates}, unique {result.Unique}, lost {result.Lost}; moved {result.Moved} of {result.OnStoppedSilo} account(s) of {victim.Name}");

        // Stopping an account logs it out (Dovecot sees LOGOUT) and forgets its reminder; the checkpoints stay.
        await Task.WhenAll(grains.Values.Select(g => g.StopAsync()));
        await server.WaitForConnectionsAsync(0, null, TimeSpan.FromSeconds(30), cancellationToken);
        Say($"Accounts stopped (LOGOUT), no IMAP session left open. {(result.Succeeded ? "Nothing lost." : "Something is missing: see above.")}");
        return result;
    }

    private static async Task<Dictionary<string, string>> OwnersAsync(Dictionary<string, IImapAccountGrain> grains, LocalCluster cluster)
    {
        var statuses = await Task.WhenAll(grains.Values.Select(g => g.GetStatusAsync()));
        return statuses.ToDictionary(s => s.AccountId, s => s.Silo, StringComparer.Ordinal);
    }

    private static void PrintOwners(Dictionary<string, string> owners, LocalCluster cluster, Action<string> say)
    {
        foreach (var group in owners.GroupBy(o => o.Value).OrderBy(g => cluster.NameOf(g.Key), StringComparer.Ordinal))
        {
            say($"  {cluster.NameOf(group.Key)}: {group.Count()} account(s): {string.Join(", ", group.Select(o => o.Key).Order(StringComparer.Ordinal))}");
        }
    }

    private static bool AllHandled(HandledMessages handled, IReadOnlySet<(string Account, uint Uid)> expected)
    {
        var seen = handled.Snapshot().Select(h => (h.AccountId, h.Uid)).ToHashSet();
        return expected.All(seen.Contains);
    }

    /// <summary>
    /// Repeats are counted by (account, UIDVALIDITY, UID); a message is lost when its APPENDUID never reached the
    /// handler under the folder's UIDVALIDITY.
    /// </summary>
    private static ClusterDemoResult Count(IReadOnlyList<HandledMessage> handled, IReadOnlySet<(string Account, uint Uid)> appended, int onStoppedSilo, int moved)
    {
        var unique = handled.Select(h => (h.AccountId, h.UidValidity, h.Uid)).ToHashSet();
        var lost = appended.Count(a => !unique.Any(u => u.AccountId == a.Account && u.Uid == a.Uid));
        return new ClusterDemoResult(appended.Count, handled.Count, unique.Count, handled.Count - unique.Count, lost, onStoppedSilo, moved);
    }

    /// <summary>Appends one small corpus message per mailbox per round over its own IMAP session.</summary>
    private sealed class Appender(DovecotServer server, SandboxAccounts accounts) : IAsyncDisposable
    {
        private readonly Dictionary<string, SandboxClient> _clients = new(StringComparer.Ordinal);
        private readonly HashSet<(string Account, uint Uid)> _appended = new();
        private readonly CorpusGenerator _generator = new(2017);
        private int _index;

        public IReadOnlySet<(string Account, uint Uid)> Appended
        {
            get
            {
                lock (_appended)
                {
                    return _appended.ToHashSet();
                }
            }
        }

        public int Count
        {
            get
            {
                lock (_appended)
                {
                    return _appended.Count;
                }
            }
        }

        public async Task AppendRoundAsync(IEnumerable<string> ids, CancellationToken cancellationToken)
        {
            var message = _generator.CreateSmallMessage(_index++);
            foreach (var id in ids)
            {
                if (!_clients.TryGetValue(id, out var client))
                {
                    client = _clients[id] = await SandboxClient.ConnectAsync(server, accounts.User(id), cancellationToken);
                }

                var uid = await client.AppendAsync(Inbox, message, cancellationToken);
                lock (_appended)
                {
                    _appended.Add((id, uid.Id));
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var client in _clients.Values)
            {
                await client.DisposeAsync();
            }

            _clients.Clear();
        }
    }

    /// <summary>Prints ImapRx's own log lines (moves, retries) among the demo's, tagged with the category's last part.</summary>
    private sealed class PrefixedLoggerProvider(Action<string> say) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(say, categoryName[(categoryName.LastIndexOf('.') + 1)..]);

        public void Dispose()
        {
        }

        private sealed class Logger(Action<string> say, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
                => say($"  ({category} {logLevel}) {formatter(state, exception)}{(exception is null ? string.Empty : ": " + exception.GetType().Name + ": " + exception.Message)}");
        }
    }
}
