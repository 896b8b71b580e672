using System.Diagnostics;

namespace ImapRx.Sandbox.Server;

/// <summary>Runs a short-lived tool (doveadm) and returns its output, failing with its stderr.</summary>
internal static class ToolRunner
{
    internal static async Task<string> RunAsync(string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Only the tool we started, by its own pid.
            try { process.Kill(); } catch (InvalidOperationException) { }
            throw;
        }

        var output = await stdout.ConfigureAwait(false);
        var error = await stderr.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(fileName)} {string.Join(' ', startInfo.ArgumentList)} failed with exit code {process.ExitCode}: {error.Trim()}");
        }

        return output;
    }
}
