using System;
using System.Threading;
using System.Threading.Tasks;

namespace ImapRx.Configuration;

/// <summary>
/// What the client authenticates with: a password, or an OAuth2 access token provider.
/// The secret never appears in <see cref="ToString"/>.
/// </summary>
public abstract class ImapCredential
{
    private protected ImapCredential()
    {
    }

    /// <summary>Creates a password credential (LOGIN/PLAIN, whichever the server offers).</summary>
    /// <exception cref="ArgumentException"><paramref name="password"/> is null or empty.</exception>
    public static ImapCredential FromPassword(string password)
    {
        if (string.IsNullOrEmpty(password))
        {
            throw new ArgumentException("A password is required.", nameof(password));
        }

        return new PasswordCredential(password);
    }

    /// <summary>
    /// Creates an OAuth2 credential. <paramref name="accessTokenProvider"/> is called for every new
    /// connection and again, with <c>forceRefresh = true</c>, after the server rejected a token
    /// (an expired token is asked for anew, once).
    /// </summary>
    public static ImapCredential FromAccessTokenProvider(
        Func<bool, CancellationToken, ValueTask<string>> accessTokenProvider,
        OAuth2Mechanism mechanism = OAuth2Mechanism.XOAuth2)
    {
        if (accessTokenProvider is null)
        {
            throw new ArgumentNullException(nameof(accessTokenProvider));
        }

        return new OAuth2Credential(accessTokenProvider, mechanism);
    }

    /// <summary>Creates an OAuth2 credential from a fixed access token (no refresh possible).</summary>
    public static ImapCredential FromAccessToken(string accessToken, OAuth2Mechanism mechanism = OAuth2Mechanism.XOAuth2)
    {
        if (string.IsNullOrEmpty(accessToken))
        {
            throw new ArgumentException("An access token is required.", nameof(accessToken));
        }

        return new OAuth2Credential((_, _) => new ValueTask<string>(accessToken), mechanism);
    }

    /// <inheritdoc/>
    public abstract override string ToString();

    /// <summary>
    /// Identifies the secret for pooling without revealing it: connections authenticated with one secret are never
    /// handed to a caller holding another. Never logged.
    /// </summary>
    internal abstract string PoolIdentity { get; }
}

/// <summary>The SASL mechanism used for OAuth2.</summary>
public enum OAuth2Mechanism
{
    /// <summary>Google's and Microsoft's XOAUTH2.</summary>
    XOAuth2,

    /// <summary>RFC 7628 OAUTHBEARER.</summary>
    OAuthBearer,
}

internal sealed class PasswordCredential : ImapCredential
{
    internal PasswordCredential(string password)
    {
        Password = password;
        using var sha = System.Security.Cryptography.SHA256.Create();
        PoolIdentity = "pw:" + BitConverter.ToString(sha.ComputeHash(System.Text.Encoding.UTF8.GetBytes(password))).Replace("-", string.Empty);
    }

    internal string Password { get; }

    internal override string PoolIdentity { get; }

    public override string ToString() => "Password(****)";
}

internal sealed class OAuth2Credential : ImapCredential
{
    internal OAuth2Credential(Func<bool, CancellationToken, ValueTask<string>> provider, OAuth2Mechanism mechanism)
    {
        Provider = provider;
        Mechanism = mechanism;
    }

    internal Func<bool, CancellationToken, ValueTask<string>> Provider { get; }

    internal OAuth2Mechanism Mechanism { get; }

    // Tokens change over time; the provider instance is the identity.
    internal override string PoolIdentity { get; } = "oauth:" + Guid.NewGuid().ToString("N");

    public override string ToString() => $"OAuth2({Mechanism}, token ****)";
}
