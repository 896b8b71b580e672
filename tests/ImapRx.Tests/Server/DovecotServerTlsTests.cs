using System.Net.Security;
using ImapRx.Sandbox.Server;
using MailKit.Net.Imap;
using MailKit.Security;

namespace ImapRx.Tests.Server;

[Collection(DovecotCollection.Name)]
public sealed class DovecotServerTlsTests(DovecotFixture fixture, SandboxVariantsFixture variants) : IClassFixture<SandboxVariantsFixture>
{
    [DovecotTheory]
    [InlineData(SecureSocketOptions.StartTls)]
    [InlineData(SecureSocketOptions.SslOnConnect)]
    public async Task Connect_UntrustedCertificateWithDefaultValidation_IsRefused(SecureSocketOptions security)
    {
        var server = await variants.UntrustedAsync();
        using var client = new ImapClient();

        await Assert.ThrowsAsync<SslHandshakeException>(() => client.ConnectAsync(server.Host, PortFor(server, security), security));
        Assert.False(client.IsConnected);
    }

    [DovecotFact]
    public async Task Connect_UntrustedCertificateValidatedAgainstTheCa_IsRefused()
    {
        var server = await variants.UntrustedAsync();
        using var client = new ImapClient { ServerCertificateValidationCallback = server.ValidateServerCertificate };

        await Assert.ThrowsAsync<SslHandshakeException>(() => client.ConnectAsync(server.Host, server.TlsPort, SecureSocketOptions.SslOnConnect));
    }

    [DovecotFact]
    public async Task Connect_CaIssuedCertificateWithDefaultValidation_IsRefused()
    {
        // The sandbox CA is not in the machine's trust store: only code that is told to trust it may connect.
        var server = fixture.Server;
        using var client = new ImapClient();

        await Assert.ThrowsAsync<SslHandshakeException>(() => client.ConnectAsync(server.Host, server.TlsPort, SecureSocketOptions.SslOnConnect));
    }

    [DovecotFact]
    public async Task Connect_OtherServersCaCertificate_IsRefused()
    {
        var server = fixture.Server;
        var other = await variants.UntrustedAsync();
        using var client = new ImapClient { ServerCertificateValidationCallback = other.ValidateServerCertificate };

        await Assert.ThrowsAsync<SslHandshakeException>(() => client.ConnectAsync(server.Host, server.TlsPort, SecureSocketOptions.SslOnConnect));
    }

    [DovecotFact]
    public async Task Connect_ByHostNameLocalhost_ValidatesAgainstTheCa()
    {
        var server = fixture.Server;
        var user = await fixture.CreateUserAsync();
        using var client = new ImapClient { ServerCertificateValidationCallback = server.ValidateServerCertificate };

        await client.ConnectAsync("localhost", server.TlsPort, SecureSocketOptions.SslOnConnect);
        await client.AuthenticateAsync(user.Name, user.Password);

        Assert.True(client.IsSecure);
    }

    [DovecotFact]
    public async Task Connect_PlainOnlyServer_DoesNotOfferStartTls()
    {
        var server = await variants.PlainOnlyAsync();
        using var client = new ImapClient();

        await client.ConnectAsync(server.Host, server.PlainPort, SecureSocketOptions.None);

        Assert.False(client.Capabilities.HasFlag(ImapCapabilities.StartTLS));
        Assert.Equal(0, server.TlsPort);
    }

    [DovecotFact]
    public async Task Connect_PlainOnlyServerRequiringStartTls_RefusesToFallBack()
    {
        var server = await variants.PlainOnlyAsync();
        using var client = new ImapClient();

        await Assert.ThrowsAsync<NotSupportedException>(() => client.ConnectAsync(server.Host, server.PlainPort, SecureSocketOptions.StartTls));
        Assert.False(client.IsConnected);
    }

    [DovecotFact]
    public void ValidateServerCertificate_NameMismatch_IsRefusedEvenForTheCaItself()
    {
        var server = fixture.Server;

        Assert.False(server.ValidateServerCertificate(this, server.CaCertificate, null, SslPolicyErrors.RemoteCertificateNameMismatch));
        Assert.False(server.ValidateServerCertificate(this, null, null, SslPolicyErrors.RemoteCertificateNotAvailable));
    }

    [DovecotFact]
    public void CaCertificatePath_HoldsTheCaAsPem()
    {
        var server = fixture.Server;

        var pem = File.ReadAllText(server.CaCertificatePath);

        Assert.StartsWith("-----BEGIN CERTIFICATE-----", pem);
        using var loaded = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(pem);
        Assert.Equal(server.CaCertificate.Thumbprint, loaded.Thumbprint);
    }

    private static int PortFor(DovecotServer server, SecureSocketOptions security) =>
        security == SecureSocketOptions.SslOnConnect ? server.TlsPort : server.PlainPort;
}
