using ImapRx.Tests.PowerShell;

namespace ImapRx.Tests.Wire;

/// <summary>
/// The afl-fuzz target (<see cref="WireFuzzTarget"/>, the code tests/ImapRx.Fuzz runs) over the committed inputs, in
/// seconds: the seed corpus and the fixed findings (regressions/) must pass it, and each fixed finding is rejected
/// to the MailKit path.
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
            if (outcome.Result == WireFuzzTarget.Outcome.Accepted && Path.GetFileName(Path.GetDirectoryName(file)) == "corpus")
            {
                accepted++;
            }
        }

        // The seeds are well-formed replies: most must be read, not merely declined, or the fuzzer starts from nothing.
        var seeds = Files("corpus").Count();
        Assert.True(accepted * 2 > seeds, $"only {accepted} of {seeds} seeds accepted");
    }

    [Fact]
    public void Run_FixedFindings_RejectedToTheFallback()
    {
        // What afl-fuzz found the reader accepting while MailKit read it differently (a disposition that is not a
        // MIME token, an untagged line with an unterminated string or a word after its flag list, \* in a message's
        // flags, sequence number 0): each now goes to MailKit.
        var files = Files("regressions").ToList();
        Assert.True(files.Count >= 7, $"only {files.Count} regression inputs");
        foreach (var file in files)
        {
            var outcome = RunBounded(file);
            Assert.True(outcome.Error is null, $"{Path.GetFileName(file)}: {outcome.Error}");
            Assert.True(outcome.Result == WireFuzzTarget.Outcome.Rejected, $"{Path.GetFileName(file)}: {outcome.Result}, expected the fallback");
        }
    }

    [Fact]
    public void RunBody_CommittedCorpusAndRegressions_SameMessagesAsMailKitOrRejected()
    {
        // The whole-message target (WireBodyFuzzTarget, run.sh MINUTES body): literals, literal8, quoted and NIL
        // bodies, BODY[] before UID, a flag update in the batch, lines inside a literal that look like responses.
        var files = Files("corpus-body").Concat(Files("regressions-body")).ToList();
        Assert.True(files.Count >= 10, $"only {files.Count} whole-message corpus files under {FuzzFolder}");
        var accepted = 0;
        foreach (var file in files)
        {
            var outcome = RunBounded(file, WireBodyFuzzTarget.Run);
            Assert.True(outcome.Error is null, $"{Path.GetFileName(file)}: {outcome.Error}");
            accepted += outcome.Result == WireFuzzTarget.Outcome.Accepted ? 1 : 0;
            if (Path.GetFileName(Path.GetDirectoryName(file)) == "regressions-body")
            {
                // A fixed finding (a literal8 after BODY[], which MailKit fails on) goes to MailKit.
                Assert.True(outcome.Result == WireFuzzTarget.Outcome.Rejected, $"{Path.GetFileName(file)}: {outcome.Result}, expected the fallback");
            }
        }

        Assert.True(accepted * 2 > Files("corpus-body").Count(), $"only {accepted} whole-message seeds accepted");
    }

    [Fact]
    public void RunBody_ResponseWithoutBody_RejectedToMailKit()
    {
        // A flag update among the messages: MailKit's GetStreams hands over only the messages, and the native path
        // sends the batch to MailKit rather than guess.
        var bytes = System.Text.Encoding.ASCII.GetBytes("* 1 FETCH (UID 1 BODY[] {3}\r\nabc)\r\n* 5 FETCH (UID 20 FLAGS (\\Deleted))\r\n");
        Assert.Equal(WireFuzzTarget.Outcome.Rejected, WireBodyFuzzTarget.Run(bytes));
        Assert.Equal(WireFuzzTarget.Outcome.Accepted, WireBodyFuzzTarget.Run(System.Text.Encoding.ASCII.GetBytes("* 1 FETCH (UID 1 BODY[] {3}\r\nabc)\r\n")));
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
    private static (WireFuzzTarget.Outcome? Result, Exception? Error) RunBounded(string file, Func<byte[], WireFuzzTarget.Outcome>? target = null)
    {
        var bytes = File.ReadAllBytes(file);
        target ??= WireFuzzTarget.Run;
        var run = Task.Run(() =>
        {
            try
            {
                return ((WireFuzzTarget.Outcome?)target(bytes), (Exception?)null);
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
