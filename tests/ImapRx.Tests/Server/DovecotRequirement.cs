using ImapRx.Sandbox.Server;

namespace ImapRx.Tests.Server;

/// <summary>
/// Decides what happens to a test that needs Dovecot when it cannot start: on CI (CI=true) the test runs and
/// fails with the reason; anywhere else it is skipped with the reason, which names the install command.
/// </summary>
internal static class DovecotRequirement
{
    internal static bool IsCi =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Gets the skip reason for this machine, or null when the test must run.</summary>
    internal static string? SkipReason =>
        DovecotInstallation.UnavailableReason is { } reason && !IsCi ? reason : null;
}
