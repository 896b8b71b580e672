using System.Collections.Concurrent;
using ImapRx.Configuration;
using ImapRx.Orleans;
using ImapRx.Sandbox.Server;

namespace ImapRx.Samples.Cluster;

/// <summary>
/// The application's account store, here the sandbox users: account id to server and credentials. One instance
/// serves every silo of the process; in production this is a secret store or a database every silo can read.
/// </summary>
public sealed class SandboxAccounts
{
    private readonly ConcurrentDictionary<string, (DovecotServer Server, SandboxUser User)> _accounts = new(StringComparer.Ordinal);

    /// <summary>Sessions allowed per account; the grain keeps it across the cluster (one activation per account).</summary>
    public int MaxConnectionsPerAccount { get; init; } = 2;

    /// <summary>The account ids, in the order they were added.</summary>
    public IReadOnlyList<string> Ids => _accounts.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>Adds a sandbox user under <c>acct-NAME</c> and returns that id.</summary>
    public string Add(DovecotServer server, SandboxUser user)
    {
        var id = "acct-" + user.Name;
        _accounts[id] = (server, user);
        return id;
    }

    /// <summary>The user behind an account id.</summary>
    public SandboxUser User(string accountId) => _accounts[accountId].User;

    /// <summary>TLS to the sandbox, its own CA trusted and nothing else: certificate validation stays on.</summary>
    public ImapAccountOptions Resolve(string accountId)
    {
        if (!_accounts.TryGetValue(accountId, out var account))
        {
            throw new KeyNotFoundException($"No account '{accountId}' in the sandbox account store.");
        }

        return new ImapAccountOptions(account.Server.Host, account.User.Name, ImapCredential.FromPassword(account.User.Password))
        {
            Encryption = ImapEncryption.Tls,
            Port = account.Server.TlsPort,
            TrustedCertificateAuthorities = new[] { account.Server.CaCertificate },
            MaxConnections = MaxConnectionsPerAccount,
            RetryDelay = TimeSpan.FromMilliseconds(200),
            Timeout = TimeSpan.FromSeconds(30),
        };
    }
}

/// <summary>The grains' way to <see cref="SandboxAccounts"/>: asked every time an account connects.</summary>
public sealed class SandboxAccountResolver(SandboxAccounts accounts) : IImapAccountResolver
{
    /// <inheritdoc />
    public ValueTask<ImapAccountOptions> ResolveAsync(string accountId, CancellationToken cancellationToken)
        => ValueTask.FromResult(accounts.Resolve(accountId));
}
