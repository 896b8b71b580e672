using System;
using System.Linq;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ImapRx.Configuration;

/// <summary>
/// Builds the server-certificate check for an account. Validation is always on: extra trust
/// anchors and pins widen what is trusted, they never switch the check off.
/// </summary>
internal static class CertificateValidator
{
    internal static RemoteCertificateValidationCallback? Create(ImapAccountOptions account)
    {
        if (account.ServerCertificateValidation is { } custom)
        {
            return custom;
        }

        if (account.TrustedCertificateAuthorities.Count == 0 && account.PinnedCertificateSha256.Count == 0)
        {
            return null; // MailKit's default: the platform's trust store and host-name check.
        }

        return (_, certificate, chain, errors) => Validate(account, certificate, errors);
    }

    internal static bool Validate(ImapAccountOptions account, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null)
        {
            return false;
        }

        using var leaf = new X509Certificate2(certificate);
        if (IsPinned(account, leaf))
        {
            return true;
        }

        // Only an untrusted root may be forgiven, and only by one of the configured CAs; a wrong host
        // name or a missing certificate never is.
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || account.TrustedCertificateAuthorities.Count == 0)
        {
            return false;
        }

        return ChainsToTrustedAuthority(leaf, account);
    }

    private static bool IsPinned(ImapAccountOptions account, X509Certificate2 leaf)
    {
        if (account.PinnedCertificateSha256.Count == 0)
        {
            return false;
        }

        string fingerprint;
        using (var sha = SHA256.Create())
        {
            fingerprint = BitConverter.ToString(sha.ComputeHash(leaf.RawData)).Replace("-", string.Empty);
        }

        return account.PinnedCertificateSha256.Any(pin =>
            string.Equals(pin.Replace(":", string.Empty).Replace(" ", string.Empty), fingerprint, StringComparison.OrdinalIgnoreCase));
    }

    private static bool ChainsToTrustedAuthority(X509Certificate2 leaf, ImapAccountOptions account)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
#if NET5_0_OR_GREATER
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        foreach (var ca in account.TrustedCertificateAuthorities)
        {
            chain.ChainPolicy.CustomTrustStore.Add(ca);
        }

        return chain.Build(leaf);
#else
        foreach (var ca in account.TrustedCertificateAuthorities)
        {
            chain.ChainPolicy.ExtraStore.Add(ca);
        }

        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
        if (!chain.Build(leaf))
        {
            return false;
        }

        var root = chain.ChainElements[chain.ChainElements.Count - 1].Certificate;
        return account.TrustedCertificateAuthorities.Any(ca => ca.RawData.SequenceEqual(root.RawData));
#endif
    }
}
