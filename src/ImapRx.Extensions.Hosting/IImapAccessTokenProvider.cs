using System.Threading;
using System.Threading.Tasks;

namespace ImapRx.Extensions.Hosting;

/// <summary>
/// Supplies OAuth2 access tokens for accounts whose <c>Authentication</c> is <c>XOAuth2</c> or <c>OAuthBearer</c>.
/// Register it keyed by the account name (<c>AddKeyedSingleton&lt;IImapAccessTokenProvider, T&gt;("Work")</c>), or
/// unkeyed to serve every OAuth2 account.
/// </summary>
public interface IImapAccessTokenProvider
{
    /// <summary>
    /// Returns an access token for <paramref name="accountName"/>. Called for every new connection, and again with
    /// <paramref name="forceRefresh"/> true after the server rejected a token.
    /// </summary>
    ValueTask<string> GetAccessTokenAsync(string accountName, bool forceRefresh, CancellationToken cancellationToken);
}
