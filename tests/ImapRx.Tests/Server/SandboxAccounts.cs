using ImapRx.Configuration;
using ImapRx.Sandbox.Server;

namespace ImapRx.Tests.Server;

/// <summary>ImapRx account options for a sandbox user, trusting the sandbox CA (validation stays on).</summary>
internal static class SandboxAccounts
{
    internal static ImapAccountOptions For(DovecotServer server, SandboxUser user, ImapEncryption encryption = ImapEncryption.Tls, int maxConnections = 3)
        => new(server.Host, user.Name, ImapCredential.FromPassword(user.Password))
        {
            Encryption = encryption,
            Port = encryption == ImapEncryption.Tls ? server.TlsPort : server.PlainPort,
            TrustedCertificateAuthorities = new[] { server.CaCertificate },
            MaxConnections = maxConnections,
            RetryDelay = TimeSpan.FromMilliseconds(50),
            Timeout = TimeSpan.FromSeconds(20),
        };

    internal static ImapRxClient Client(DovecotServer server, SandboxUser user, ImapEncryption encryption = ImapEncryption.Tls, int maxConnections = 3)
        => new(For(server, user, encryption, maxConnections));
}
