using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using ImapRx.Orleans.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ImapRx.Orleans.Tests.Samples;

/// <summary>
/// Runs samples/ImapRx.Samples.Cluster as its own process, as run.sh does: fixed counts, bounded in time, and the
/// numbers it prints checked against each other and against what it was asked to append.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed partial class ClusterSampleTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(4);
    private readonly string _temp = CreateTemp();

    public void Dispose() => Directory.Delete(_temp, true);

    [DovecotFact]
    public async Task ClusterSample_SiloKilledWhileMailArrives_PrintsEveryAppendedMessageHandledAndCleansUp()
    {
        const int accounts = 8, seeded = 2, rounds = 4; // 8: silo-2 owns none with a chance of 1 in 256

        var (exitCode, text) = await RunAsync(new[] { $"--accounts={accounts}", $"--rounds={rounds}", "--kill" }, interruptAfter: null);

        Assert.Equal(0, exitCode);
        var summary = Summary().Match(text);
        Assert.True(summary.Success, "no summary line");
        int Number(string name) => int.Parse(summary.Groups[name].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(accounts * (seeded + rounds), Number("appended"));
        Assert.Equal(0, Number("lost"));
        Assert.Equal(Number("appended"), Number("unique"));
        Assert.Equal(Number("unique") + Number("duplicates"), Number("handled"));

        // The handled lines add up to the printed count, and every account of the stopped silo printed its move.
        var handledUids = HandledLine().Matches(text).Sum(m => m.Groups["uids"].Value.Split(", ").Length);
        Assert.Equal(Number("handled"), handledUids);
        var owned = int.Parse(Stopping().Match(text).Groups["owned"].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(owned, Number("of"));
        Assert.Equal(owned, Number("moved"));
        Assert.Equal(owned, MovedLine().Matches(text).Count);
        Assert.Contains($"silo-1: {accounts} account(s)", text.Split("Who owns which account now:")[1], StringComparison.Ordinal);
        AssertCleanedUp(text);
    }

    [DovecotFact]
    public async Task ClusterSample_Interrupted_StopsEverySiloAndTheSandbox()
    {
        var (exitCode, text) = await RunAsync(new[] { "--accounts=3", "--rounds=20" }, interruptAfter: "Appender: round 1 ");

        Assert.Equal(130, exitCode);
        Assert.Contains("Interrupted", text, StringComparison.Ordinal);
        Assert.DoesNotMatch(Summary(), text);
        AssertCleanedUp(text);
    }

    private static string CreateTemp()
    {
        var path = Directory.CreateTempSubdirectory("imaprx-cluster-sample-").FullName;
        // Created 0700; Dovecot's unprivileged auth process must reach the sandbox's user list below it (as in run.sh).
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        return path;
    }

    private void AssertCleanedUp(string text)
    {
        // The sandbox lived under our TMPDIR and is gone, and so is its Dovecot.
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp));
        var pid = int.Parse(DovecotPid().Match(text).Groups["pid"].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal), $"Dovecot {pid} still runs");
    }

    private async Task<(int ExitCode, string Output)> RunAsync(string[] args, string? interruptAfter)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(SampleAssembly());
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["TMPDIR"] = _temp;
        var text = new StringBuilder();
        var interrupted = new TaskCompletionSource();
        using var process = new Process { StartInfo = start };
        void Collect(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (text)
            {
                text.AppendLine(line);
            }

            if (interruptAfter is not null && line.Contains(interruptAfter, StringComparison.Ordinal) && interrupted.TrySetResult())
            {
                using var kill = Process.Start("kill", new[] { "-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            }
        }

        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var bound = new CancellationTokenSource(Bound);
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The sample ran longer than {Bound}:\n{text}");
        }
        finally
        {
            output.WriteLine(text.ToString());
        }

        process.WaitForExit(); // drains the redirected output
        return (process.ExitCode, text.ToString());
    }

    /// <summary>The sample's assembly, built by this project's reference in the same configuration.</summary>
    private static string SampleAssembly()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = here.Parent!.Name; // bin/<configuration>/net10.0/
        var root = here;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "ImapRx.sln")))
        {
            root = root.Parent;
        }

        var path = Path.Combine(root?.FullName ?? throw new InvalidOperationException("No ImapRx.sln above " + AppContext.BaseDirectory), "samples", "ImapRx.Samples.Cluster", "bin", configuration, "net10.0", "ImapRx.Samples.Cluster.dll");
        Assert.True(File.Exists(path), $"{path} is not built");
        return path;
    }

    [GeneratedRegex(@"Appended (?<appended>\d+), handled (?<handled>\d+), duplicates removed by \(UIDVALIDITY, UID\) (?<duplicates>\d+), unique (?<unique>\d+), lost (?<lost>\d+); moved (?<moved>\d+) of (?<of>\d+) account")]
    private static partial Regex Summary();

    [GeneratedRegex(@"\] acct-\S+: handled UID (?<uids>[\d, ]+)$", RegexOptions.Multiline)]
    private static partial Regex HandledLine();

    [GeneratedRegex(@"Stopping silo-2 .*; it owns (?<owned>\d+) account")]
    private static partial Regex Stopping();

    [GeneratedRegex(@"acct-\S+ moved silo-2 -> silo-1")]
    private static partial Regex MovedLine();

    [GeneratedRegex(@"Dovecot pid (?<pid>\d+)")]
    private static partial Regex DovecotPid();
}
