using ImapRx.Tests.PowerShell;

namespace ImapRx.Tests.Wire;

/// <summary>
/// The afl-fuzz target (<see cref="WireFuzzTarget"/>, the code tests/ImapRx.Fuzz runs) over the committed inputs, in
/// seconds: the seed corpus and any fixed regressions must pass it; the open findings must still fail it, so that a
/// fix to the reader shows up here and its input moves to regressions/.
/// </summary>
public sealed class WireFuzzCorpusTests
{
    private static readonly string FuzzFolder = Path.Combine(PowerShellHost.RepositoryRoot, "tests", "ImapRx.Fuzz");

    [Fact]
    public void Run_CommittedCorpusAndRegressions_AcceptedAsMailKitOrRejected()
    {
        var files = Files("corpus").Concat(Files("regressions")).ToList();
        Assert.True(files.Count >= 10, $"only {files.Count} corpus files under {FuzzFolder}");
        var accepted = 0;
        foreach (var file in files)
        {
            var outcome = RunBounded(file);
            Assert.True(outcome.Error is null, $"{Path.GetFileName(file)}: {outcome.Error}");
            if (outcome.Result == WireFuzzTarget.Outcome.Accepted)
            {
                accepted++;
            }
        }

        // The seeds are well-formed replies: most must be read, not merely declined, or the fuzzer starts from nothing.
        Assert.True(accepted * 2 > files.Count, $"only {accepted} of {files.Count} accepted");
    }

    [Fact]
    public void Run_OpenFindings_StillDisagreeWithMailKit()
    {
        var files = Files("open").ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var outcome = RunBounded(file);
            Assert.True(
                outcome.Error is WireFuzzFailure,
                $"{Path.GetFileName(file)} no longer fails the target ({outcome.Result}, {outcome.Error?.GetType().Name}): fixed? move it to tests/ImapRx.Fuzz/regressions/");
        }
    }

    [Fact]
    public void Run_MalformedFetchReply_Rejected()
    {
        // The target itself: an unterminated FETCH is declined, not thrown (a check that the replay can pass).
        var bytes = System.Text.Encoding.ASCII.GetBytes("* 1 FETCH (UID 5 FLAGS (\\Seen\r\n");
        Assert.Equal(WireFuzzTarget.Outcome.Rejected, WireFuzzTarget.Run(bytes));
    }

    private static IEnumerable<string> Files(string folder)
    {
        var path = Path.Combine(FuzzFolder, folder);
        return Directory.Exists(path)
            ? Directory.EnumerateFiles(path).Where(f => Path.GetFileName(f) != "README.txt").Order(StringComparer.Ordinal)
            : Enumerable.Empty<string>();
    }

    /// <summary>The target on its own thread: a hang fails the test instead of stalling the suite.</summary>
    private static (WireFuzzTarget.Outcome? Result, Exception? Error) RunBounded(string file)
    {
        var bytes = File.ReadAllBytes(file);
        var run = Task.Run(() =>
        {
            try
            {
                return ((WireFuzzTarget.Outcome?)WireFuzzTarget.Run(bytes), (Exception?)null);
            }
            catch (Exception ex)
            {
                return (null, ex);
            }
        });
        Assert.True(run.Wait(TimeSpan.FromSeconds(30)), $"{Path.GetFileName(file)}: the target did not finish");
        return run.Result;
    }
}
