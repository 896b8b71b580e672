namespace ImapRx.Sandbox.Server;

/// <summary>The files and directories of one sandbox, all under a fresh temp directory.</summary>
internal sealed class SandboxLayout
{
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
        var root = Path.Combine(Path.GetTempPath(), "imaprx-sandbox-" + Guid.NewGuid().ToString("N")[..12]);
        var layout = new SandboxLayout(root);
        // Dovecot's unprivileged processes (dovenull, dovecot, nobody) must traverse every directory.
        foreach (var dir in new[] { root, layout.RunDirectory, layout.StateDirectory, layout.MailDirectory, layout.CertificateDirectory, layout.UsersDirectory })
        {
            Directory.CreateDirectory(dir);
            NativeMethods.ChmodOrThrow(dir, 0b111_101_101); // 0755
        }

        return layout;
    }
}
