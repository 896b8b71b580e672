using System.Diagnostics;
using ImapRx.Tests.PowerShell;
using ImapRx.Tests.Server;

namespace ImapRx.Tests.Scripts;

/// <summary>scripts/demo.sh as a new user meets it: it talks from the first line, and Ctrl+C leaves nothing behind.</summary>
public sealed class DemoScriptTests
{
    [DovecotFact]
    public async Task DemoScript_InterruptedWhileTheSandboxRuns_RemovesItsDirectoryAndStopsItsDovecot()
    {
        var temp = Directory.CreateTempSubdirectory("imaprx-demo-test-").FullName;
        // Created 0700; like /tmp, Dovecot's unprivileged auth process must be able to pass through it.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, (UnixFileMode)0b111_101_101);
        }
        try
        {
            var start = new ProcessStartInfo("bash", new[] { Path.Combine(PowerShellHost.RepositoryRoot, "scripts", "demo.sh"), "1000" })
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = PowerShellHost.RepositoryRoot,
            };
            start.Environment["TMPDIR"] = temp;
            using var demo = Process.Start(start)!;
            var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
            demo.OutputDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
            demo.ErrorDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
            demo.BeginOutputReadLine();
            demo.BeginErrorReadLine();

            // Wait until the demo works against its own Dovecot (listed folders; the pid file is under the demo's directory).
            string? pidFile = null;
            var deadline = DateTime.UtcNow.AddMinutes(10);
            while ((pidFile is null || !lines.Any(l => l.StartsWith("1) Folders", StringComparison.Ordinal))) && !demo.HasExited && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
                pidFile = Directory.EnumerateFiles(temp, "master.pid", SearchOption.AllDirectories).FirstOrDefault();
            }

            Assert.True(pidFile is not null && !demo.HasExited, "the demo never got its Dovecot working:\n" + string.Join("\n", lines));
            var dovecotPid = int.Parse(File.ReadAllText(pidFile!).Trim(), System.Globalization.CultureInfo.InvariantCulture);

            using (var interrupt = Process.Start("kill", new[] { "-INT", demo.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) })!)
            {
                await interrupt.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await demo.WaitForExitAsync(timeout.Token);
            var output = lines.ToList();

            Assert.StartsWith("ImapRx demo: 3 steps", output[0], StringComparison.Ordinal);
            Assert.Contains(output, l => l.StartsWith("[3/3] Running the demo", StringComparison.Ordinal));
            Assert.Equal(2, output.Count(l => l.Trim().StartsWith("done in ", StringComparison.Ordinal))); // steps 1 and 2 timed
            Assert.Contains("Interrupted; cleaning up.", output);
            Assert.Equal(130, demo.ExitCode);
            // dotnet build keeps its own scratch folders in TMPDIR; the demo's directory (and the sandbox in it) is gone.
            Assert.Empty(Directory.EnumerateFileSystemEntries(temp, "imaprx-*", SearchOption.AllDirectories));
            Assert.False(File.Exists(pidFile));
            Assert.False(IsRunning(dovecotPid), $"the demo's Dovecot (pid {dovecotPid}) is still running");
        }
        finally
        {
            Directory.Delete(temp, true);
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
