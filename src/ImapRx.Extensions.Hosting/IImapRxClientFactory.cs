using System.Collections.Generic;
using ImapRx.Configuration;

namespace ImapRx.Extensions.Hosting;

/// <summary>
/// The configured accounts by name. Clients are created on first use, share one connection pool, and belong to the
/// container: do not dispose them; the container does (idle connections say LOGOUT when the host stops).
/// </summary>
public interface IImapRxClientFactory
{
    /// <summary>The account names, as written under <c>Imap:Accounts</c>.</summary>
    IReadOnlyCollection<string> AccountNames { get; }

    /// <summary>The client of account <paramref name="accountName"/> (the same instance every time).</summary>
    /// <exception cref="KeyNotFoundException">No account has that name; the message lists the names there are.</exception>
    IImapRxClient GetClient(string accountName);

    /// <summary>The options built from account <paramref name="accountName"/>'s configuration.</summary>
    /// <exception cref="KeyNotFoundException">No account has that name.</exception>
    ImapAccountOptions GetAccount(string accountName);
}
