using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using ImapRx.Sandbox.Server;
using MailKit;

namespace ImapRx.Bench;

/// <summary>
/// Starts the sandbox Dovecot, writes the corpora straight into Maildir (indexed once, before any timing), then
/// runs every contender of every scenario in its own process, several times, alternating the order, and prints
/// medians, spreads and ratios measured in this one run.
/// </summary>
public static class Orchestrator
{
    private static readonly string[] AllScenarios = { "S1", "S2", "S3", "S4", "S5", "S6" };

    public static async Task<int> RunAsync(string[] args)
    {
        var quick = args.Contains("--quick");
        var scenarios = args.FirstOrDefault(a => a.StartsWith("--scenarios=", StringComparison.Ordinal))?.Split('=')[1].Split(',') ?? AllScenarios;
        var reps = 3;
        var big = quick ? 20_000 : 100_000;
        var ten = quick ? 2_000 : 10_000;
        var watchCounts = quick ? new[] { 50, 100 } : new[] { 100, 500, 1000 };
        var trials = quick ? 20 : 70;
        // S6: accounts on a 3-silo cluster; --s6-accounts=100,1000 for other (longer) runs.
        var clusterSizes = Option(args, "--s6-accounts")?.Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray() ?? (quick ? new[] { 60 } : new[] { 100, 300 });
        // --contenders=a,b: only these (any contender the scenario's child knows, the experiments included).
        var only = Option(args, "--contenders")?.Split(',');
        string[] Pick(string[] contenders) => only ?? contenders;
        var clusterBurst = int.Parse(Option(args, "--s6-burst") ?? "5", CultureInfo.InvariantCulture);
        var report = new StringBuilder();
        void Say(string line)
        {
            Console.WriteLine(line);
            report.AppendLine(line);
        }

        Say($"# ImapRx benchmark run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC ({(quick ? "quick" : "full")}), {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        // BENCH_DOVECOT_CONF adds Dovecot settings, one per ';' (e.g. "maildir_very_dirty_syncs = yes"): to see
        // how much of a scenario is the server's storage rather than the client.
        var extra = (Environment.GetEnvironmentVariable("BENCH_DOVECOT_CONF") ?? string.Empty)
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        await using var server = await DovecotServer.StartAsync(new DovecotServerOptions { MaxConnections = 1500, ExtraConfiguration = extra });
        if (extra.Length > 0)
        {
            Say("Extra Dovecot settings: " + string.Join("; ", extra));
        }

        var user = await server.CreateUserAsync();
        var clock = Stopwatch.StartNew();
        await using (var setup = await SandboxClient.ConnectAsync(server, user))
        {
            foreach (var folder in new[] { "Big", "Ten", "Latency" })
            {
                await setup.CreateFolderAsync(folder);
            }
        }

        // Only S1, S2 and S5 read the corpora: a run of S3, S4 or S6 alone does not write or prime them.
        var needsCorpus = scenarios.Any(s => s is "S1" or "S2" or "S5");
        if (needsCorpus)
        {
            var writer = new MaildirWriter(server);
            var generator = new CorpusGenerator(2026) { MalformedInterval = 0 };
            var bigResult = await writer.WriteAsync(user, "Big", Mixed(generator, big));
            var tenResult = await writer.WriteAsync(user, "Ten", Mixed(generator, ten));
            Say($"Corpus: Big {bigResult.Count:N0} messages, {bigResult.Bytes / 1048576.0:0} MB; Ten {tenResult.Count:N0} messages, {tenResult.Bytes / 1048576.0:0} MB (every 10th a full corpus message with parts and attachments, the rest small); written and indexed in {clock.Elapsed.TotalSeconds:0} s.");
        }

        var common = new[] { $"host={server.Host}", $"port={server.PlainPort}", $"user={user.Name}" };
        var results = new List<Measurement>();
        async Task<Measurement> Run(string scenario, string contender, params string[] extra)
        {
            var serverCpu = DovecotCpuMs(server.MasterPid);
            var m = await RunChildAsync(scenario, contender, user.Password, common.Concat(extra).ToArray());
            await Task.Delay(100); // let the master reap the contender's imap processes, so their CPU time is counted
            m = m with { Detail = $"{m.Detail};dovecotCpu={DovecotCpuMs(server.MasterPid) - serverCpu:0}ms" };
            results.Add(m);
            Console.Error.WriteLine($"  {scenario} {contender} {string.Join(' ', extra)}: {m.Milliseconds:0} ms, {m.Items} items, RSS {m.PeakRssMb:0} MB, {m.MaxThreads} threads {m.Detail}");
            return m;
        }

        if (needsCorpus)
        {
            // Prime, untimed: the first fetch of ENVELOPE and BODYSTRUCTURE makes Dovecot parse every message and fill
            // its cache file, which costs the first contender several seconds the others never pay.
            foreach (var (folder, count) in new[] { ("Big", big), ("Ten", ten) })
            {
                await RunChildAsync("S1", "socket", user.Password, common.Concat(new[] { $"folder={folder}", $"count={count}", "batch=1000" }).ToArray());
                await RunChildAsync("S2", "socket", user.Password, common.Concat(new[] { $"folder={folder}", $"count={count}", "batch=1000" }).ToArray());
            }
        }

        foreach (var scenario in scenarios)
        {
            switch (scenario)
            {
                case "S1":
                    var s1 = new List<(string Folder, string Contender, Measurement M)>();
                    foreach (var (folder, count) in new[] { ("Big", big), ("Ten", ten) })
                    {
                        var contenders = folder == "Big" ? Pick(new[] { "imaprx", "imaprx-pull", "imaprx-mailkit", "imaprx-mailkit-pull", "imaprx-pool2", "imaprx-native2", "mailkit", "mailkit-sync", "socket", "socket-pool2" }) : Pick(new[] { "imaprx", "imaprx-mailkit", "mailkit" });
                        for (var rep = 0; rep < reps; rep++)
                        {
                            foreach (var contender in Rotate(contenders, rep))
                            {
                                s1.Add((folder, contender, await Run("S1", contender, $"folder={folder}", $"count={count}", "batch=1000", "parallel=4")));
                            }
                        }
                    }

                    Say("");
                    Say(Table("S1 header sync of Big", s1.Where(r => r.Folder == "Big").Select(r => r.M).ToList(), "mailkit", "messages/s"));
                    Say(Table("S1 header sync of Ten (memory comparison)", s1.Where(r => r.Folder == "Ten").Select(r => r.M).ToList(), "mailkit", "messages/s"));
                    break;
                case "S2":
                    var s2 = new List<Measurement>();
                    for (var rep = 0; rep < reps; rep++)
                    {
                        foreach (var contender in Rotate(Pick(new[] { "imaprx", "imaprx-mailkit", "imaprx-pool", "imaprx-native2", "mailkit", "mailkit-copy", "socket" }), rep))
                        {
                            s2.Add(await Run("S2", contender, "folder=Ten", $"count={ten}", "batch=100", "parallel=2"));
                        }
                    }

                    Say(Table("S2 full bodies of Ten", s2, "mailkit", "messages/s"));
                    break;
                case "S3":
                    var s3 = new List<Measurement>();
                    for (var rep = 0; rep < reps; rep++)
                    {
                        foreach (var contender in Rotate(new[] { "imaprx", "socket", "socket-refetch" }, rep))
                        {
                            s3.Add(await Run("S3", contender, "folder=Latency", $"trials={trials}"));
                        }
                    }

                    Say(LatencyTable(s3));
                    break;
                case "S4":
                    await using (var setup = await SandboxClient.ConnectAsync(server, user))
                    {
                        for (var i = 0; i < watchCounts.Max(); i++)
                        {
                            await setup.CreateFolderAsync(ManyWatches.Name(i));
                        }
                    }

                    var s4 = new List<(int Count, Measurement M)>();
                    foreach (var count in watchCounts)
                    {
                        for (var rep = 0; rep < reps; rep++)
                        {
                            foreach (var contender in Rotate(new[] { "imaprx", "imaprx-notify", "mailkit" }, rep))
                            {
                                s4.Add((count, await Run("S4", contender, $"count={count}")));
                            }
                        }
                    }

                    Say(WatchTable(s4));
                    break;
                case "S5":
                    var s5 = new List<Measurement>();
                    var state = Directory.CreateTempSubdirectory("imaprx-bench-sync-").FullName;
                    for (var rep = 0; rep < reps; rep++)
                    {
                        foreach (var contender in Rotate(new[] { "imaprx", "mailkit" }, rep))
                        {
                            await Run("S5", contender, "folder=Big", $"state={state}/{contender}"); // catch up, untimed
                            results.RemoveAt(results.Count - 1);
                            await ChangeAsync(server, user, big, rep);

                            // Let the writer's session end first: its imap process updates the index and cache of the
                            // 100,000-message folder as it logs out, and a sync timed meanwhile measures that instead.
                            await server.WaitForConnectionsAsync(0, user.Name, TimeSpan.FromSeconds(60));
                            await Task.Delay(TimeSpan.FromSeconds(1));
                            s5.Add(await Run("S5", contender, "folder=Big", $"state={state}/{contender}"));
                        }
                    }

                    var fullSync = results.Where(r => r.Scenario == "S1" && r.Contender == "imaprx" && r.Items >= big).Select(r => r.Milliseconds).ToList();
                    Say(Table("S5 incremental sync of Big (1% flags changed, 100 new)", s5, "mailkit", "changes/s"));
                    if (fullSync.Count > 0)
                    {
                        Say($"S5 ImapRx median {Median(s5.Where(m => m.Contender == "imaprx").Select(m => m.Milliseconds)):0} ms = {100 * Median(s5.Where(m => m.Contender == "imaprx").Select(m => m.Milliseconds)) / Median(fullSync):0.0}% of ImapRx's full S1 header sync ({Median(fullSync):0} ms). Target: under 5%.");
                    }

                    Directory.Delete(state, true);
                    break;
                case "S6":
                    var s6 = new List<(double LoadBefore, double LoadAfter, Measurement M)>();
                    foreach (var accounts in clusterSizes)
                    {
                        var loadBefore = LoadAverage();
                        var m = await Run("S6", "orleans", $"accounts={accounts}", "silos=3", $"burst={clusterBurst}", "reminderSeconds=2");
                        s6.Add((loadBefore, LoadAverage(), m));
                    }

                    Say(ClusterTable(s6));
                    break;
            }
        }

        var path = Path.Combine(AppContext.BaseDirectory, "results-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmm", CultureInfo.InvariantCulture) + ".md");
        File.WriteAllText(path, report.ToString());
        Console.WriteLine($"Written to {path}");
        return 0;
    }

    private static IEnumerable<CorpusMessage> Mixed(CorpusGenerator generator, int count)
        => Enumerable.Range(0, count).Select(i => i % 10 == 0 ? generator.CreateMessage(i) : generator.CreateSmallMessage(i));

    private static IEnumerable<string> Rotate(string[] items, int by) => items.Skip(by % items.Length).Concat(items.Take(by % items.Length));

    /// <summary>1% of the messages get \Flagged toggled, 100 new ones arrive.</summary>
    private static async Task ChangeAsync(DovecotServer server, SandboxUser user, int count, int round)
    {
        await using var other = await SandboxClient.ConnectAsync(server, user);
        var uids = Enumerable.Range(0, count / 100).Select(i => new UniqueId((uint)(1 + (i * 100)))).ToList();
        if (round % 2 == 0)
        {
            await other.AddFlagsAsync("Big", uids, MessageFlags.Flagged);
        }
        else
        {
            await other.RemoveFlagsAsync("Big", uids, MessageFlags.Flagged);
        }

        var generator = new CorpusGenerator(3000 + round) { MalformedInterval = 0 };
        foreach (var message in generator.GenerateSmall(100))
        {
            await other.AppendAsync("Big", message);
        }
    }

    /// <summary>CPU time of Dovecot's master and every process it has reaped (the imap and login processes).</summary>
    private static double DovecotCpuMs(int masterPid)
    {
        var stat = File.ReadAllText($"/proc/{masterPid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // Fields 14-17 of proc(5) (utime, stime, cutime, cstime), here 0-based after the command name: 11-14.
        var ticks = Enumerable.Range(11, 4).Sum(i => long.Parse(fields[i], System.Globalization.CultureInfo.InvariantCulture));
        return ticks * 1000.0 / 100; // USER_HZ is 100 on Linux
    }

    private static async Task<Measurement> RunChildAsync(string scenario, string contender, string password, string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(scenario == "S6" ? ClusterBenchAssembly() : Assembly.GetEntryAssembly()!.Location);
        start.ArgumentList.Add("run");
        start.ArgumentList.Add(scenario);
        start.ArgumentList.Add(contender);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["BENCH_PASSWORD"] = password;
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output.Split('\n').Select(Measurement.TryParse).LastOrDefault(m => m is not null)
            ?? throw new InvalidOperationException($"{scenario} {contender} failed (exit {process.ExitCode}):\n{output}");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Table(string title, List<Measurement> runs, string baseline, string unit)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"\n### {title}\n");
        text.AppendLine(CultureInfo.InvariantCulture, $"| Contender | Median ms | Spread (min-max) ms | {unit} | vs {baseline} | Peak RSS MB (max) | Threads (max) | Notes |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        var baseMedian = Median(runs.Where(r => r.Contender == baseline).Select(r => r.Milliseconds));
        foreach (var group in runs.GroupBy(r => r.Contender))
        {
            var median = Median(group.Select(r => r.Milliseconds));
            var items = group.First().Items;
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {group.Key} | {median:0} | {group.Min(r => r.Milliseconds):0}-{group.Max(r => r.Milliseconds):0} | {items / (median / 1000):0} | {baseMedian / median:0.00}x | {group.Max(r => r.PeakRssMb):0} | {group.Max(r => r.MaxThreads)} | {group.Last().Detail} |");
        }

        return text.ToString();
    }

    private static string LatencyTable(List<Measurement> runs)
    {
        var text = new StringBuilder("\n### S3 IDLE latency, APPEND completed to event seen (ms)\n\n| Contender | Trials | p50 | p95 | p99 | max |\n|---|---|---|---|---|---|\n");
        foreach (var group in runs.GroupBy(r => r.Contender))
        {
            var all = group.SelectMany(r => r.Detail!.Split(';')[0]["latencies=".Length..].Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture))).OrderBy(v => v).ToList();
            double P(double p) => all[Math.Min(all.Count - 1, (int)Math.Ceiling(p * all.Count) - 1)];
            text.AppendLine(CultureInfo.InvariantCulture, $"| {group.Key} | {all.Count} | {P(0.50):0.0} | {P(0.95):0.0} | {P(0.99):0.0} | {all[^1]:0.0} |");
        }

        return text.ToString();
    }

    private static string WatchTable(List<(int Count, Measurement M)> runs)
    {
        var text = new StringBuilder("\n### S4 concurrent watches\n\n| Folders | Contender | Runs | Events received (worst run) | Time to all events, median ms (spread) | Setup, median s | Client memory per watch, median KB | Threads added (max) | Peak RSS MB (max) |\n|---|---|---|---|---|---|---|---|---|\n");
        foreach (var group in runs.GroupBy(r => (r.Count, r.M.Contender)))
        {
            var ms = group.Select(r => r.M.Milliseconds).ToList();
            text.AppendLine(CultureInfo.InvariantCulture, $"| {group.Key.Count} | {group.Key.Contender} | {ms.Count} | {group.Min(r => r.M.Items)}/{group.Key.Count} | {Median(ms):0} ({ms.Min():0}-{ms.Max():0}) | {Median(group.Select(r => Field(r.M.Detail, "setup"))) / 1000:0.0} | {Median(group.Select(r => Field(r.M.Detail, "perWatch"))):0} | {group.Max(r => Field(r.M.Detail, "threadsAdded")):0} | {group.Max(r => r.M.PeakRssMb):0} |");
        }

        return text.ToString();
    }

    /// <summary>S6's child: bench/ImapRx.Bench.Cluster, built by run.sh next to this project in the same configuration.</summary>
    private static string ClusterBenchAssembly()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory); // bench/ImapRx.Bench/bin/<configuration>/net10.0/
        var path = Path.Combine(here.Parent!.Parent!.Parent!.Parent!.FullName, "ImapRx.Bench.Cluster", "bin", here.Parent.Name, "net10.0", "ImapRx.Bench.Cluster.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("S6 needs bench/ImapRx.Bench.Cluster built (bench/run.sh builds it).", path);
    }

    private static string? Option(string[] args, string name)
        => args.FirstOrDefault(a => a.StartsWith(name + "=", StringComparison.Ordinal))?[(name.Length + 1)..];

    /// <summary>The 1-minute load average: the machine is shared, so every S6 row says how busy it was.</summary>
    private static double LoadAverage() => double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

    private static string ClusterTable(List<(double LoadBefore, double LoadAfter, Measurement M)> runs)
    {
        var text = new StringBuilder("\n### S6 accounts on a 3-silo cluster (one process), a burst of mail, a silo killed\n\n");
        text.AppendLine("| Accounts | Accounts per silo (min-max) | Cluster start s | All accounts synced s | Memory per account KB | Threads added | Burst events | Burst s | Events/s | Killed silo's accounts | Resumed after kill, min / median / max s | Duplicates | Lost | Load avg (1 min) before / after |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var (before, after, m) in runs)
        {
            double F(string name) => Field(m.Detail, name);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {F("accounts"):0} | {F("perSiloMin"):0}-{F("perSiloMax"):0} | {F("clusterStart") / 1000:0.0} | {F("setup") / 1000:0.0} | {F("perAccount"):0} | {F("threadsAdded"):0} | {m.Items} | {m.Milliseconds / 1000:0.0} | {m.ItemsPerSecond:0} | {F("onVictim"):0} | {F("resumeMin") / 1000:0.0} / {F("resumeMedian") / 1000:0.0} / {F("resumeMax") / 1000:0.0} | {F("duplicates"):0} | {F("lost"):0} | {before:0.0} / {after:0.0} |");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"\nReminder period {Field(runs.FirstOrDefault().M?.Detail, "reminder"):0} s; membership declares a silo dead after two missed 1 s probes. Details: {string.Join(" | ", runs.Select(r => string.Join(';', (r.M.Detail ?? string.Empty).Split(';').Where(f => !f.StartsWith("dovecotCpu=", StringComparison.Ordinal)))))} (S6 runs its own Dovecot, so the orchestrator's dovecotCpu does not apply).");
        return text.ToString();
    }

    /// <summary>The number in a "name=123unit" field of a measurement's details; NaN when it is missing.</summary>
    private static double Field(string? detail, string name)
    {
        foreach (var part in (detail ?? string.Empty).Split(';'))
        {
            if (part.StartsWith(name + "=", StringComparison.Ordinal))
            {
                var digits = new string(part[(name.Length + 1)..].TakeWhile(c => char.IsDigit(c) || c == '.' || c == '-').ToArray());
                return double.Parse(digits, CultureInfo.InvariantCulture);
            }
        }

        return double.NaN;
    }
}
