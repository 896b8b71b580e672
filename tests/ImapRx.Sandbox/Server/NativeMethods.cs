using System.Runtime.InteropServices;

namespace ImapRx.Sandbox.Server;

/// <summary>The few POSIX calls .NET has no managed API for: a signal to one pid, chown and geteuid.</summary>
internal static class NativeMethods
{
    internal const int SigTerm = 15;
    internal const int SigKill = 9;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    internal static extern int Kill(int pid, int signal);

    // On Unix, .NET marshals string arguments as UTF-8, which is what the kernel takes for paths.
    [DllImport("libc", EntryPoint = "chown", SetLastError = true)]
    internal static extern int Chown(string path, int owner, int group);

    [DllImport("libc", EntryPoint = "chmod", SetLastError = true)]
    internal static extern int Chmod(string path, uint mode);

    [DllImport("libc", EntryPoint = "geteuid")]
    internal static extern uint GetEffectiveUserId();

    internal static void ChownOrThrow(string path, int owner, int group)
    {
        if (Chown(path, owner, group) != 0)
        {
            throw new IOException($"chown {owner}:{group} '{path}' failed (errno {Marshal.GetLastPInvokeError()}).");
        }
    }

    // Through libc rather than File.SetUnixFileMode: the sandbox is Linux-only already, and this keeps
    // platform analyzers quiet for every caller. Not filtered by the umask, unlike mkdir's mode.
    internal static void ChmodOrThrow(string path, uint mode)
    {
        if (Chmod(path, mode) != 0)
        {
            throw new IOException($"chmod {Convert.ToString(mode, 8)} '{path}' failed (errno {Marshal.GetLastPInvokeError()}).");
        }
    }
}
