using System.Diagnostics;
using System.Globalization;
using ImapRx.Orleans;
using ImapRx.Sandbox.Server;
using ImapRx.Samples.Cluster;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Hosting;

namespace ImapRx.Bench;

/// <summary>
/// S6: N accounts on a cluster of S silos (the cluster sample's <see cref="LocalCluster"/>: real silos on 127.0.0.1
/// in this one process, so RSS and threads are the whole cluster's). Measures how the accounts spread over the
/// silos and what each costs, the events per second a burst of mail goes through at, and how long the accounts of
/// a killed silo take to hand over mail again from the others. Its own sandbox Dovecot: the accounts are separate
/// users, each with a Maildir the burst is written into directly (as an MDA delivers), so the appender costs the
/// server no IMAP session.
/// </summary>
public static class ClusterScale
{
    private const string Inbox = "INBOX";

    public static async Task<(long Items, long Bytes, string Detail)> RunAsync(string contender, Func<string, int?> setting)
    {
        if (contender != "orleans")
        {
            throw new ArgumentException("Unknown contender " + contender);
        }

        var accountCount = setting("accounts") ?? 60;
        var siloCount = setting("silos") ?? 3;
        var burst = setting("burst") ?? 5;
        var reminder = TimeSpan.FromSeconds(setting("reminderSeconds") ?? 2);
        var timeout = TimeSpan.FromSeconds(setting("timeoutSeconds") ?? 300);
        await using var server = await DovecotServer.StartAsync(new DovecotServerOptions { MaxConnections = (accountCount * 3) + 100 });
        var accounts = new SandboxAccounts();
        var users = new SandboxUser[accountCount];
        await Parallel.ForEachAsync(Enumerable.Range(0, accountCount), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
            users[i] = await server.CreateUserAsync($"s6u{i:D4}", ct));
        var ids = users.Select(u => accounts.Add(server, u)).ToList();
        var generator = new CorpusGenerator(6006) { MalformedInterval = 0 };
        var index = 0;
        void DeliverToAll() => Deliver(users, generator.CreateSmallMessage(index++));
        DeliverToAll(); // one message each before start: "synced" means it was handled

        GC.Collect();
        var rssBefore = Measurement.CurrentRssMb();
        var threadsBefore = Measurement.Threads();
        var handled = new HandledMessages();
        var clock = Stopwatch.StartNew();
        await using var cluster = await LocalCluster.StartAsync(siloCount, silo =>
        {
            silo.Services.AddSingleton(accounts);
            silo.Services.AddSingleton(handled);
            silo.AddImapRx<SandboxAccountResolver, RecordingHandler>(o =>
            {
                o.ReminderPeriod = reminder;
                o.RetryDelay = TimeSpan.FromMilliseconds(200);
                o.MaxRetryDelay = TimeSpan.FromSeconds(2);
            });
        });
        var clusterStart = clock.Elapsed;
        GC.Collect();
        var rssCluster = Measurement.CurrentRssMb();

        // Setup: every account started, synced from nothing and watching; done when each handled its first message.
        clock.Restart();
        var grains = ids.Select(id => cluster.GrainFactory.GetGrain<IImapAccountGrain>(id)).ToList();
        await Task.WhenAll(grains.Select(g => g.StartAsync(new[] { Inbox })));
        await WaitAsync(() => Unique(handled).Count >= accountCount, timeout, "every account's first sync");
        var setup = clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(2)); // steady state
        GC.Collect();
        var rssRunning = Measurement.CurrentRssMb();
        var threadsRunning = Measurement.Threads();
        var statuses = await Task.WhenAll(grains.Select(g => g.GetStatusAsync()));
        var perSilo = cluster.Silos.Select(s => statuses.Count(st => st.Silo == s.Address)).ToList();

        // Burst: `burst` messages into every mailbox at once; time until the handler has every one.
        var expected = accountCount * (1 + burst);
        clock.Restart();
        for (var b = 0; b < burst; b++)
        {
            DeliverToAll();
        }

        var written = clock.Elapsed;
        await WaitAsync(() => Unique(handled).Count >= expected, timeout, "the burst");
        var burstTime = clock.Elapsed;

        // Kill the non-primary silo with the most accounts, with one more message for every account: each of its
        // accounts has resumed when it hands that over from another silo.
        var victim = cluster.Silos.Skip(1).OrderByDescending(s => statuses.Count(st => st.Silo == s.Address)).First();
        var onVictim = statuses.Where(s => s.Silo == victim.Address).Select(s => s.AccountId).ToHashSet();
        var killedAt = DateTimeOffset.UtcNow;
        clock.Restart();
        await cluster.StopSiloAsync(victim, kill: true);
        var killTime = clock.Elapsed;
        DeliverToAll();
        expected += accountCount;
        await WaitAsync(() => Unique(handled).Count >= expected, timeout, "every message after the kill");
        var allAfterKill = clock.Elapsed;
        var all = handled.Snapshot();
        var resumes = onVictim.Select(id => all.Where(h => h.AccountId == id && h.At > killedAt && h.Silo != victim.Address).Min(h => h.At) - killedAt)
            .Select(t => t.TotalMilliseconds).Order().ToList();
        var unique = Unique(handled).Count;
        var duplicates = all.Count - unique;
        var lost = expected - unique;

        await Task.WhenAll(grains.Select(g => g.StopAsync()));
        return (accountCount * burst, 0, string.Create(CultureInfo.InvariantCulture,
            $"ms={burstTime.TotalMilliseconds:0};accounts={accountCount};silos={siloCount};perSiloMin={perSilo.Min()};perSiloMax={perSilo.Max()};clusterStart={clusterStart.TotalMilliseconds:0}ms;setup={setup.TotalMilliseconds:0}ms;" +
            $"perAccount={(rssRunning - rssCluster) * 1024 / accountCount:0}KB;clusterRss={rssCluster - rssBefore:0}MB;threadsAdded={threadsRunning - threadsBefore};written={written.TotalMilliseconds:0}ms;" +
            $"onVictim={onVictim.Count};killed={killTime.TotalMilliseconds:0}ms;resumeMin={Percentile(resumes, 0):0}ms;resumeMedian={Percentile(resumes, 0.5):0}ms;resumeMax={Percentile(resumes, 1):0}ms;" +
            $"allAfterKill={allAfterKill.TotalMilliseconds:0}ms;duplicates={duplicates};lost={lost};reminder={reminder.TotalSeconds:0}s"));
    }

    private static HashSet<(string, uint, uint)> Unique(HandledMessages handled)
        => handled.Snapshot().Select(h => (h.AccountId, h.UidValidity, h.Uid)).ToHashSet();

    private static double Percentile(List<double> sorted, double p)
        => sorted.Count == 0 ? double.NaN : sorted[(int)Math.Round(p * (sorted.Count - 1))];

    private static async Task WaitAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"S6: waited {timeout} for {what}.");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Writes the message into each INBOX's tmp/ and renames it into new/, as an MDA does.</summary>
    private static void Deliver(IEnumerable<SandboxUser> users, CorpusMessage message)
    {
        foreach (var user in users)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.M{Interlocked.Increment(ref s_sequence)}P{Environment.ProcessId}.imaprx-bench,S={message.Size}");
            var temporary = Path.Combine(user.MaildirPath, "tmp", name);
            File.WriteAllBytes(temporary, message.Content.ToArray());
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            File.Move(temporary, Path.Combine(user.MaildirPath, "new", name));
        }
    }

    private static long s_sequence;
}
