using ImapRx.Sandbox.Server;

namespace ImapRx.Orleans.Tests.Infrastructure;

/// <summary>A fact that needs the sandbox Dovecot: skipped where it is not installed, failed when CI=true.</summary>
public sealed class DovecotFactAttribute : FactAttribute
{
    public DovecotFactAttribute()
    {
        var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (DovecotInstallation.UnavailableReason is { } reason && !ci)
        {
            Skip = reason;
        }
    }
}
