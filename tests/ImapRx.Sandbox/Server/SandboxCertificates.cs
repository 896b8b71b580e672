using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ImapRx.Sandbox.Server;

/// <summary>
/// The certificates of one sandbox: a CA the tests trust, a server certificate it issued for
/// localhost/127.0.0.1, and a self-signed impostor with the same names that nothing trusts.
/// </summary>
internal sealed class SandboxCertificates : IDisposable
{
    private SandboxCertificates(X509Certificate2 ca, X509Certificate2 server, X509Certificate2 untrusted)
    {
        Ca = ca;
        Server = server;
        Untrusted = untrusted;
    }

    /// <summary>Gets the CA certificate, without its private key.</summary>
    public X509Certificate2 Ca { get; }

    /// <summary>Gets the server certificate issued by <see cref="Ca"/>, with its private key.</summary>
    public X509Certificate2 Server { get; }

    /// <summary>Gets a self-signed certificate for the same names, with its private key.</summary>
    public X509Certificate2 Untrusted { get; }

    public static SandboxCertificates Create()
    {
        var notBefore = DateTimeOffset.UtcNow.AddDays(-1);
        var notAfter = DateTimeOffset.UtcNow.AddDays(30);

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=ImapRx Sandbox CA, O=ImapRx", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var caWithKey = caRequest.CreateSelfSigned(notBefore, notAfter);

        var server = CreateLeaf("CN=localhost, O=ImapRx Sandbox", notBefore, notAfter, caWithKey);
        var untrusted = CreateLeaf("CN=localhost, O=ImapRx Sandbox Impostor", notBefore, notAfter, issuer: null);
        var ca = X509CertificateLoader.LoadCertificate(caWithKey.RawData);
        return new SandboxCertificates(ca, server, untrusted);
    }

    /// <summary>Writes the CA as PEM, and the chosen server certificate and key as PEM files for Dovecot.</summary>
    public void WritePem(string caPath, string certPath, string keyPath, bool untrusted)
    {
        var leaf = untrusted ? Untrusted : Server;
        File.WriteAllText(caPath, Ca.ExportCertificatePem() + "\n");
        File.WriteAllText(certPath, leaf.ExportCertificatePem() + "\n");
        using var key = leaf.GetECDsaPrivateKey() ?? throw new InvalidOperationException("The leaf has no private key.");
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem() + "\n");
        NativeMethods.ChmodOrThrow(keyPath, 0b110_000_000); // 0600: read by the root config process only
    }

    public void Dispose()
    {
        Ca.Dispose();
        Server.Dispose();
        Untrusted.Dispose();
    }

    private static X509Certificate2 CreateLeaf(
        string subject, DateTimeOffset notBefore, DateTimeOffset notAfter, X509Certificate2? issuer)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));

        if (issuer is null)
        {
            return request.CreateSelfSigned(notBefore, notAfter);
        }

        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F; // a positive serial number, as RFC 5280 requires
        using var publicOnly = request.Create(issuer, notBefore, notAfter, serial);
        return publicOnly.CopyWithPrivateKey(key);
    }
}
