using System.Diagnostics;
using System.Text;
using ImapRx.Orleans.Tests.Infrastructure;
using ImapRx.Sandbox.Server;
using Orleans.TestingHost;
using Xunit.Abstractions;

namespace ImapRx.Orleans.Tests;

/// <summary>
/// A real in-process Orleans cluster against the sandbox Dovecot. Grain state lives in a SQLite file and reminders
/// in a table outside the silos, so both survive a killed silo. Fixed counts: bounded to well under a minute each.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ImapAccountGrainClusterTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Inbox = "INBOX";
    private static readonly TimeSpan StatedResumeTime = TimeSpan.FromSeconds(30);
    private readonly string _directory = Directory.CreateTempSubdirectory("imaprx-orleans-").FullName;
    private readonly CorpusGenerator _generator = new(1717);
    private DovecotServer? _server;

    private DovecotServer Server => _server ?? throw new InvalidOperationException("Dovecot did not start.");

    public async Task InitializeAsync()
    {
        if (DovecotInstallation.UnavailableReason is null)
        {
            _server = await DovecotServer.StartAsync();
        }
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, true);
    }

    [DovecotFact]
    public async Task Cluster_SiloKilledWhileMailArrives_EveryMessageReachesTheHandlerAndAccountsResumeElsewhere()
    {
        const int accountCount = 50, seeded = 2, rounds = 6, killBeforeRound = 2;
        var phase = Stopwatch.StartNew();
        void Phase(string name)
        {
            output.WriteLine($"{name}: {phase.Elapsed.TotalSeconds:F1} s");
            phase.Restart();
        }

        var cluster = await StartClusterAsync(silos: 3);
        Phase("cluster started");
        try
        {
            var context = ClusterContext.Current;
            var users = await CreateAccountsAsync(context, accountCount);
            Phase("users created");
            Deliver(users, Enumerable.Range(0, seeded));
            Phase("seeded");

            await using var sampler = new ConnectionSampler(Server, users.Select(u => u.Name));
            await Task.WhenAll(users.Select(u => Grain(cluster, u).StartAsync(new[] { Inbox })));
            var statuses = await Task.WhenAll(users.Select(u => Grain(cluster, u).GetStatusAsync()));
            Assert.All(statuses, s => Assert.True(s.Running));
            Phase("grains started");

            // The primary silo holds the test cluster's membership table; kill the busiest of the others.
            var victim = cluster.Silos.Skip(1).OrderByDescending(s => statuses.Count(st => st.Silo == s.SiloAddress.ToString())).First();
            var victimAddress = victim.SiloAddress.ToString();
            var onVictim = statuses.Where(s => s.Silo == victimAddress).Select(s => s.AccountId).ToHashSet();
            Assert.NotEmpty(onVictim);

            var killedAt = DateTimeOffset.MinValue;
            for (var round = 0; round < rounds; round++)
            {
                if (round == killBeforeRound)
                {
                    killedAt = DateTimeOffset.UtcNow;
                    await cluster.KillSiloAsync(victim);
                    Phase("killed");
                }

                // An independent appender, spread over the failover: before, during and after.
                Deliver(users, new[] { seeded + round });
                await Task.Delay(TimeSpan.FromSeconds(1.5));
            }

            Phase("appended");
            var expected = Enumerable.Range(0, seeded + rounds).Select(i => _generator.SmallMessageIdFor(i)).ToHashSet();
            await WaitUntilAsync(() => AllDelivered(context, users, expected), TimeSpan.FromSeconds(90), "every message to reach the handler");
            Phase("delivered");

            var deliveries = context.Deliveries.Snapshot();
            var duplicates = 0;
            foreach (var user in users)
            {
                var mine = deliveries.Where(d => d.AccountId == AccountId(user)).ToList();
                var unique = mine.GroupBy(d => (d.UidValidity, d.Uid)).ToList();
                Assert.Equal(seeded + rounds, unique.Count); // none lost, no stray UID
                Assert.Equal(expected, unique.Select(g => Normalize(g.First().MessageId)).ToHashSet());
                var repeated = mine.Count - unique.Count;
                duplicates += repeated;
                if (!onVictim.Contains(AccountId(user)))
                {
                    Assert.Equal(0, repeated); // at-least-once repeats only where a silo died mid-batch
                }
            }

            // Every account of the killed silo delivers again from a surviving silo, within the stated time.
            var resumeTimes = onVictim.Select(id => deliveries
                .Where(d => d.AccountId == id && d.At > killedAt && d.Silo != victimAddress)
                .Min(d => d.At) - killedAt).ToList();
            var slowest = resumeTimes.Max();
            output.WriteLine($"{onVictim.Count} of {accountCount} accounts on the killed silo; resumed elsewhere after {resumeTimes.Min().TotalSeconds:F1}-{slowest.TotalSeconds:F1} s; {duplicates} duplicate deliveries; {sampler.Samples} connection samples, highest per account {sampler.Max.Values.DefaultIfEmpty().Max()}");
            var wokenByDeactivation = onVictim.Count(id => context.LogLines.Any(l => l.Contains($"Account {id} deactivated", StringComparison.Ordinal)));
            output.WriteLine($"{wokenByDeactivation} of the killed silo's accounts woke themselves on deactivation");
            Assert.Equal(0, wokenByDeactivation); // as after a real crash, only the reminder brought them back
            Assert.True(slowest <= StatedResumeTime, $"Slowest resume {slowest} exceeds {StatedResumeTime}.");

            // Counted on the server: no account ever had more sessions than its limit, even across the failover.
            Assert.True(sampler.Samples >= 10, $"Only {sampler.Samples} connection samples.");
            Assert.True(sampler.Max.Count >= accountCount / 2, $"Sessions seen for only {sampler.Max.Count} accounts.");
            Assert.All(sampler.Max, entry => Assert.InRange(entry.Value, 1, context.MaxConnectionsPerAccount));

            // Stopping logs out cleanly: every session gone, and Dovecot saw LOGOUT rather than a dropped connection.
            await Task.WhenAll(users.Select(u => Grain(cluster, u).StopAsync()));
            Phase("checked");
            await WaitUntilAsync(async () => await Server.CountConnectionsAsync() == 0, TimeSpan.FromSeconds(20), "every session to close");
            Phase("stopped");
            var log = Server.ReadLog().Split('\n');
            var survivor = users.First(u => !onVictim.Contains(AccountId(u)));
            Assert.Contains(log, line => line.Contains($"imap({survivor.Name})", StringComparison.Ordinal) && line.Contains("Logged out", StringComparison.Ordinal));

            AssertNoSecretsStoredOrLogged(context, users);
        }
        finally
        {
            await StopClusterAsync(cluster);
            Phase("cluster stopped");
        }
    }

    [DovecotFact]
    public async Task Cluster_SiloAdded_AccountsThatBelongThereMoveWithoutLoss()
    {
        const int accountCount = 30;
        var phase = Stopwatch.StartNew();
        void Phase(string name)
        {
            output.WriteLine($"{name}: {phase.Elapsed.TotalSeconds:F1} s");
            phase.Restart();
        }

        var cluster = await StartClusterAsync(silos: 2);
        Phase("cluster started");
        try
        {
            var context = ClusterContext.Current;
            var users = await CreateAccountsAsync(context, accountCount);
            Phase("users created");
            Deliver(users, new[] { 0 });
            var refused = AccountId(users[0]);
            context.Refusals[refused] = 3; // the application refuses its first three batches
            await Task.WhenAll(users.Select(u => Grain(cluster, u).StartAsync(new[] { Inbox })));
            var locked = await Server.CreateUserAsync();
            context.Accounts[AccountId(locked)] = (Server, locked);
            context.WrongPasswords[AccountId(locked)] = true;
            await Grain(cluster, locked).StartAsync(new[] { Inbox });
            var before = (await Task.WhenAll(users.Select(u => Grain(cluster, u).GetStatusAsync()))).ToDictionary(s => s.AccountId, s => s.Silo);

            Phase("grains started");
            var added = await cluster.StartAdditionalSiloAsync();
            Phase("silo added");
            var silos = cluster.Silos.Select(s => s.SiloAddress).ToList();
            var movers = users.Select(AccountId).Where(id => AccountPlacement.Choose(id, silos)!.Equals(added.SiloAddress)).ToHashSet();
            Assert.NotEmpty(movers);

            var clock = Stopwatch.StartNew();
            for (var index = 1; index <= 3; index++)
            {
                Deliver(users, new[] { index });
                await Task.Delay(TimeSpan.FromSeconds(1));
            }

            await WaitUntilAsync(
                async () =>
                {
                    var now = await Task.WhenAll(movers.Select(id => cluster.GrainFactory.GetGrain<IImapAccountGrain>(id).GetStatusAsync()));
                    return now.All(s => s.Silo == added.SiloAddress.ToString() && s.Running);
                },
                StatedResumeTime,
                "the accounts that belong on the new silo to move there");
            var moved = clock.Elapsed;

            var expected = Enumerable.Range(0, 4).Select(i => _generator.SmallMessageIdFor(i)).ToHashSet();
            await WaitUntilAsync(() => AllDelivered(context, users, expected), TimeSpan.FromSeconds(60), "every message to reach the handler");
            Phase("delivered");
            var after = (await Task.WhenAll(users.Select(u => Grain(cluster, u).GetStatusAsync()))).ToDictionary(s => s.AccountId, s => s.Silo);
            output.WriteLine($"{movers.Count} of {accountCount} accounts moved to the new silo within {moved.TotalSeconds:F1} s");

            Assert.All(users.Select(AccountId).Where(id => !movers.Contains(id)), id => Assert.Equal(before[id], after[id]));
            Assert.Equal(0, context.Refusals[refused]); // refused batches came back until accepted: nothing lost to them

            // A refused login is never retried on a timer, however many reminder ticks pass: one login per
            // activation at most (MailKit's one Authenticate call is up to 3 attempts in Dovecot's log).
            var lockedStatus = await Grain(cluster, locked).GetStatusAsync();
            Assert.False(lockedStatus.Running);
            Assert.Contains("Authentication", lockedStatus.LastError);
            Assert.DoesNotContain("wrong-", lockedStatus.LastError);
            Assert.InRange(Server.CountLoginAttempts(locked.Name), 1, 6);
            var deliveries = context.Deliveries.Snapshot();
            foreach (var user in users)
            {
                var unique = deliveries.Where(d => d.AccountId == AccountId(user)).GroupBy(d => (d.UidValidity, d.Uid)).ToList();
                Assert.Equal(expected, unique.Select(g => Normalize(g.First().MessageId)).ToHashSet());
                Assert.Equal(4, unique.Count);
            }

            await Task.WhenAll(users.Select(u => Grain(cluster, u).StopAsync()));
            Phase("stopped");
        }
        finally
        {
            await StopClusterAsync(cluster);
            Phase("cluster stopped");
        }
    }

    private static string AccountId(SandboxUser user) => "acct-" + user.Name;

    private static IImapAccountGrain Grain(TestCluster cluster, SandboxUser user) => cluster.GrainFactory.GetGrain<IImapAccountGrain>(AccountId(user));

    private static string Normalize(string messageId) => messageId.Trim('<', '>');

    private static bool AllDelivered(ClusterContext context, IReadOnlyList<SandboxUser> users, HashSet<string> expected)
    {
        var byAccount = context.Deliveries.Snapshot().ToLookup(d => d.AccountId);
        return users.All(u => expected.IsSubsetOf(byAccount[AccountId(u)].Select(d => Normalize(d.MessageId))));
    }

    private static void AssertNoSecretsStoredOrLogged(ClusterContext context, IReadOnlyList<SandboxUser> users)
    {
        var payloads = SqliteGrainStorage.ReadAllPayloads(context.StoragePath);
        Assert.NotEmpty(payloads);
        var lines = context.LogLines.ToList();
        Assert.NotEmpty(lines);
        foreach (var user in users)
        {
            var utf8 = Encoding.UTF8.GetBytes(user.Password);
            Assert.DoesNotContain(payloads, p => p.AsSpan().IndexOf(utf8) >= 0);
            Assert.DoesNotContain(lines, line => line.Contains(user.Password, StringComparison.Ordinal));
        }
    }

    private async Task<TestCluster> StartClusterAsync(short silos)
    {
        var storage = Path.Combine(_directory, "grains.db");
        SqliteGrainStorage.Create(storage);
        ClusterContext.Current = new ClusterContext { StoragePath = storage, MaxConnectionsPerAccount = 2 };
        var builder = new TestClusterBuilder(silos);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private static async Task StopClusterAsync(TestCluster cluster)
    {
        await cluster.StopAllSilosAsync();
        await cluster.DisposeAsync();
    }

    private async Task<IReadOnlyList<SandboxUser>> CreateAccountsAsync(ClusterContext context, int count)
    {
        var users = new SandboxUser[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
            users[i] = await Server.CreateUserAsync());
        foreach (var user in users)
        {
            context.Accounts[AccountId(user)] = (Server, user);
        }

        return users;
    }

    private void Deliver(IEnumerable<SandboxUser> users, IEnumerable<int> indexes)
    {
        var messages = indexes.Select(_generator.CreateSmallMessage).ToList();
        foreach (var user in users)
        {
            foreach (var message in messages)
            {
                MaildirDelivery.DeliverToInbox(user, message);
            }
        }
    }

    private static Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
        => WaitUntilAsync(() => Task.FromResult(condition()), timeout, what);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Waited {timeout} for {what}.");
            }

            await Task.Delay(100);
        }
    }
}
