using System.ComponentModel;
using System.Diagnostics;

namespace ImapRx.Tests.Server;

/// <summary>
/// Removes a stopped shared sandbox's directory without holding up the test run. A collection's Dovecot ends with
/// hundreds of users and corpora of up to 110,000 files; deleting them inline took minutes in which no test ran (xunit
/// waits for every parallel collection's fixtures before starting the next phase). The directory is renamed away at
/// once, then deleted by a detached <c>rm</c>.
/// </summary>
internal static class SandboxTrash
{
    internal static void DeleteInBackground(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }

        var trash = directory.TrimEnd('/') + ".deleting";
        try
        {
            Directory.Move(directory, trash);
        }
        catch (IOException)
        {
            trash = directory;
        }

        var start = new ProcessStartInfo("/bin/rm")
        {
            UseShellExecute = false,
            // Its own pipes, never the test host's: the runner must not wait for rm to close the host's output.
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("-rf");
        start.ArgumentList.Add("--");
        start.ArgumentList.Add(trash);
        try
        {
            using var rm = Process.Start(start);
        }
        catch (Win32Exception)
        {
            Directory.Delete(trash, recursive: true);
        }
    }
}
