using ImapRx.Sandbox.Server;
using MailKit.Net.Imap;
using MailKit.Security;

namespace ImapRx.Tests.Server;

[Collection(DovecotCollection.Name)]
public sealed class DovecotServerLoginTests(DovecotFixture fixture)
{
    private DovecotServer Server => fixture.Server;

    [DovecotFact]
    public async Task Authenticate_PlainPort_LogsIn()
    {
        var user = await fixture.CreateUserAsync();
        using var client = new ImapClient();

        await client.ConnectAsync(Server.Host, Server.PlainPort, SecureSocketOptions.None);
        await client.AuthenticateAsync(user.Name, user.Password);

        Assert.True(client.IsAuthenticated);
        Assert.False(client.IsSecure);
        await client.DisconnectAsync(true);
    }

    [DovecotFact]
    public async Task Authenticate_StartTlsTrustingTheCa_LogsInOverTls()
    {
        var user = await fixture.CreateUserAsync();
        using var client = new ImapClient { ServerCertificateValidationCallback = Server.ValidateServerCertificate };

        await client.ConnectAsync(Server.Host, Server.PlainPort, SecureSocketOptions.StartTls);
        await client.AuthenticateAsync(user.Name, user.Password);

        Assert.True(client.IsAuthenticated);
        Assert.True(client.IsSecure);
        await client.DisconnectAsync(true);
    }

    [DovecotFact]
    public async Task Authenticate_ImplicitTlsTrustingTheCa_LogsInOverTls()
    {
        var user = await fixture.CreateUserAsync();
        using var client = new ImapClient { ServerCertificateValidationCallback = Server.ValidateServerCertificate };

        await client.ConnectAsync(Server.Host, Server.TlsPort, SecureSocketOptions.SslOnConnect);
        await client.AuthenticateAsync(user.Name, user.Password);

        Assert.True(client.IsAuthenticated);
        Assert.True(client.IsSecure);
        await client.DisconnectAsync(true);
    }

    [DovecotFact]
    public async Task Authenticate_WrongPassword_IsRejected()
    {
        var user = await fixture.CreateUserAsync();
        using var client = new ImapClient();
        await client.ConnectAsync(Server.Host, Server.PlainPort, SecureSocketOptions.None);

        await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync(user.Name, user.Password + "x"));
    }
}
