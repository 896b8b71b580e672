using System.Globalization;
using ImapRx.Sandbox.Server;

namespace ImapRx.Tests.Extensions.Hosting;

/// <summary>Configuration keys (Imap:Accounts:&lt;name&gt;:...) for a sandbox user, trusting the sandbox CA from its file.</summary>
internal static class SandboxConfiguration
{
    internal static Dictionary<string, string?> For(DovecotServer server, SandboxUser user, string accountName, int maxConnections = 3, int? port = null)
    {
        var prefix = $"Imap:Accounts:{accountName}:";
        return new Dictionary<string, string?>
        {
            [prefix + "Host"] = server.Host,
            [prefix + "Port"] = (port ?? server.TlsPort).ToString(CultureInfo.InvariantCulture),
            [prefix + "Username"] = user.Name,
            [prefix + "Password"] = user.Password,
            [prefix + "TrustedCaPaths:0"] = server.CaCertificatePath,
            [prefix + "MaxConnections"] = maxConnections.ToString(CultureInfo.InvariantCulture),
            [prefix + "RetryDelay"] = "00:00:00.050",
            [prefix + "Timeout"] = "00:00:20",
        };
    }
}
