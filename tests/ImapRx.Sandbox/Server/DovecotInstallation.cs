namespace ImapRx.Sandbox.Server;

/// <summary>Where Dovecot is expected on this machine, and how to get it there.</summary>
public static class DovecotInstallation
{
    /// <summary>
    /// Gets the Dovecot master binary: <c>/usr/sbin/dovecot</c> from the Debian package <c>dovecot-imapd</c>,
    /// or the path in the environment variable <c>IMAPRX_DOVECOT</c>.
    /// </summary>
    public static string DovecotPath => Environment.GetEnvironmentVariable("IMAPRX_DOVECOT") is { Length: > 0 } path ? path : "/usr/sbin/dovecot";

    /// <summary>
    /// Gets the admin tool from the same package (it talks to a private instance through <c>-c FILE</c>):
    /// <c>/usr/bin/doveadm</c>, or the path in the environment variable <c>IMAPRX_DOVEADM</c>.
    /// </summary>
    public static string DoveadmPath => Environment.GetEnvironmentVariable("IMAPRX_DOVEADM") is { Length: > 0 } path ? path : "/usr/bin/doveadm";

    /// <summary>The command that installs what the sandbox needs, run from the repository root.</summary>
    public const string InstallCommand = "bash scripts/install-dovecot.sh";

    /// <summary>Gets a value indicating whether both Dovecot binaries are present.</summary>
    public static bool IsInstalled => File.Exists(DovecotPath) && File.Exists(DoveadmPath);

    /// <summary>Gets a value indicating whether this process may start Dovecot (its master must run as root).</summary>
    public static bool CanStart => IsInstalled && IsRoot;

    /// <summary>Gets a value indicating whether the current process runs as root.</summary>
    public static bool IsRoot => OperatingSystem.IsLinux() && NativeMethods.GetEffectiveUserId() == 0;

    /// <summary>Explains why <see cref="CanStart"/> is false, with the command that fixes it; null when it is true.</summary>
    public static string? UnavailableReason =>
        !OperatingSystem.IsLinux() ? "The Dovecot sandbox runs on Linux only."
        : !IsInstalled ? $"Dovecot is not installed ({DovecotPath} missing). Install it with: {InstallCommand}"
        : !IsRoot ? "The Dovecot sandbox must run as root (its master process starts as root and drops privileges)."
        : null;
}
