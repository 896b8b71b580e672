using ImapRx.Sandbox.Server;
using MailKit.Net.Imap;
using MailKit.Security;

namespace ImapRx.Tests.Server;

/// <summary>Opens a plain MailKit session for the tests that look at what the sandbox helpers did.</summary>
internal static class SandboxImap
{
    internal static async Task<ImapClient> LogInAsync(DovecotServer server, SandboxUser user)
    {
        var client = new ImapClient();
        try
        {
            await client.ConnectAsync(server.Host, server.PlainPort, SecureSocketOptions.None);
            await client.AuthenticateAsync(user.Name, user.Password);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }
}
