using System.Threading;
using System.Threading.Tasks;
using ImapRx.Configuration;

namespace ImapRx.Orleans;

/// <summary>
/// The application's way from an account id to a server and credentials (a secret store, a database, a vault).
/// Called every time an account grain connects, so credentials live only in the application's store and in the
/// connection, never in grain state, reminders or logs.
/// </summary>
public interface IImapAccountResolver
{
    /// <summary>The account's options, including its credential and <see cref="ImapAccountOptions.MaxConnections"/>.</summary>
    ValueTask<ImapAccountOptions> ResolveAsync(string accountId, CancellationToken cancellationToken);
}
