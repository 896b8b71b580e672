namespace ImapRx.Sandbox.Server;

/// <summary>The files and directories of one sandbox, all under a fresh temp directory.</summary>
internal sealed class SandboxLayout
{
    private const string Prefix = "imaprx-sandbox-";
    private static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(30);

    internal SandboxLayout(string root)
    {
        Root = root;
    }

    internal string Root { get; }

    internal string ConfigPath => Path.Combine(Root, "dovecot.conf");

    internal string RunDirectory => Path.Combine(Root, "run");

    internal string StateDirectory => Path.Combine(Root, "state");

    internal string LogPath => Path.Combine(Root, "dovecot.log");

    internal string UsersDirectory => Path.Combine(Root, "users");

    internal string MailDirectory => Path.Combine(Root, "mail");

    internal string CertificateDirectory => Path.Combine(Root, "certs");

    internal string CaCertificatePath => Path.Combine(CertificateDirectory, "ca.pem");

    internal string ServerCertificatePath => Path.Combine(CertificateDirectory, "server.pem");

    internal string ServerKeyPath => Path.Combine(CertificateDirectory, "server.key");

    internal string MasterPidPath => Path.Combine(RunDirectory, "master.pid");

    internal string LauncherPath => Path.Combine(Root, "run-dovecot.sh");

    internal static SandboxLayout CreateTemp()
    {
        DeleteAbandoned();
        var root = Path.Combine(Path.GetTempPath(), Prefix + Guid.NewGuid().ToString("N")[..12]);
        var layout = new SandboxLayout(root);
        // Dovecot's unprivileged processes (dovenull, dovecot, nobody) must traverse every directory.
        foreach (var dir in new[] { root, layout.RunDirectory, layout.StateDirectory, layout.MailDirectory, layout.CertificateDirectory, layout.UsersDirectory })
        {
            Directory.CreateDirectory(dir);
            NativeMethods.ChmodOrThrow(dir, 0b111_101_101); // 0755
        }

        return layout;
    }

    // A test host that was killed leaves its directory behind (its Dovecot exits with it, see the launcher).
    // Old directories without a live master are removed; young ones may belong to a sandbox still starting.
    private static void DeleteAbandoned()
    {
        foreach (var dir in Directory.EnumerateDirectories(Path.GetTempPath(), Prefix + "*"))
        {
            try
            {
                if (DateTime.UtcNow - Directory.GetLastWriteTimeUtc(dir) < AbandonedAfter || HasLiveMaster(new SandboxLayout(dir)))
                {
                    continue;
                }

                Directory.Delete(dir, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Someone else's, or in use: leave it.
            }
        }
    }

    private static bool HasLiveMaster(SandboxLayout layout) =>
        File.Exists(layout.MasterPidPath)
        && int.TryParse(File.ReadAllText(layout.MasterPidPath).Trim(), out var pid)
        && Directory.Exists($"/proc/{pid}");
}
