using System.Diagnostics;
using ImapRx.Sandbox.Server;
using ImapRx.Tests.Server;

namespace ImapRx.Tests.PowerShell;

/// <summary>
/// Another module has loaded a different MimeKit into PowerShell's context (here a stand-in, version 1.0, with no
/// parser in it). ImapRx must still import and read mail, because its dependencies live in its own load context.
/// Runs in a separate PowerShell host process: this test process already has ImapRx's own MimeKit loaded.
/// </summary>
[Collection(DovecotToolsCollection.Name)]
public sealed class ModuleIsolationTests(DovecotFixture fixture)
{
    [DovecotFact]
    public async Task ImportModule_AfterAnotherModuleLoadedADifferentMimeKit_ReadsMailWithItsOwnCopy()
    {
        var user = await fixture.CreateUserAsync();
        var message = new CorpusGenerator(100) { MalformedInterval = 0 }.CreateSmallMessage(0);
        await using (var other = await SandboxClient.ConnectAsync(fixture.Server, user))
        {
            await other.AppendAsync("INBOX", message);
        }

        var (exitCode, output) = await RunHostAsync(user, FindBuilt("tests/FakeMimeKit", "netstandard2.0", "MimeKit.dll"));

        Assert.True(exitCode == 0, output);
        Assert.Contains("FOREIGN 1.0.0.0", output);
        Assert.Contains("CONNECTED", output);
        Assert.Contains("SUBJECT " + message.Subject, output);
        Assert.Contains("MIMEKIT 1.0.0.0 Default", output); // theirs, where they put it
        Assert.Matches(@"MIMEKIT 4\.\d+\.\d+\.\d+ ImapRx", output); // ours, beside it
        Assert.DoesNotContain(user.Password, output);
    }

    private async Task<(int ExitCode, string Output)> RunHostAsync(SandboxUser user, string foreignMimeKit)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            FindBuilt("tests/ImapRx.PowerShell.IsolationHost", "net10.0", "ImapRx.PowerShell.IsolationHost.dll"),
            PowerShellHost.ManifestPath,
            foreignMimeKit,
            fixture.Server.Host,
            fixture.Server.PlainPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            user.Name,
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        await process.StandardInput.WriteLineAsync(user.Password);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    private static string FindBuilt(string project, string framework, string file)
    {
        var bin = Path.Combine(PowerShellHost.RepositoryRoot, project, "bin");
        return Directory.Exists(bin)
            ? Directory.GetFiles(bin, file, SearchOption.AllDirectories).Where(p => p.Contains(framework, StringComparison.Ordinal)).OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
                ?? throw new FileNotFoundException($"{file} is not built under {bin}; build ImapRx.sln first.")
            : throw new DirectoryNotFoundException($"{bin} does not exist; build ImapRx.sln first.");
    }
}
