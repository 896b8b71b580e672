using ImapRx.Sandbox.Server;
using ImapRx.Tests.Server;

namespace ImapRx.Tests.Mailbox;

/// <summary>Which change source the folder ledger can use on a server.</summary>
public enum ServerKind
{
    /// <summary>Dovecot as it comes: QRESYNC and CONDSTORE.</summary>
    QuickResync,

    /// <summary>CONDSTORE without QRESYNC: flag changes by CHANGEDSINCE, expunges by UID search.</summary>
    CondStoreOnly,

    /// <summary>Neither (Microsoft 365 is one): flag changes only by comparison.</summary>
    Neither,
}

/// <summary>
/// The two servers with capabilities taken away, started on first use and shared by a test class; the default
/// server is the collection's <see cref="DovecotFixture"/>. NOTIFY stays advertised so multi-folder watches use it.
/// </summary>
public sealed class ChangeSourceServers : IAsyncLifetime
{
    private const string Common = "IMAP4rev1 SASL-IR LITERAL+ ID ENABLE IDLE UIDPLUS MOVE NAMESPACE ESEARCH LIST-STATUS SPECIAL-USE NOTIFY";

    private readonly Lazy<Task<DovecotServer>> _condStoreOnly = new(() => Start(Common + " CONDSTORE"));

    private readonly Lazy<Task<DovecotServer>> _neither = new(() => Start(Common));

    internal async Task<DovecotServer> GetAsync(ServerKind kind, DovecotFixture fixture)
        => kind switch
        {
            ServerKind.QuickResync => fixture.Server,
            ServerKind.CondStoreOnly => await _condStoreOnly.Value,
            _ => await _neither.Value,
        };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var lazy in new[] { _condStoreOnly, _neither })
        {
            if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
            {
                await lazy.Value.Result.DisposeAsync();
            }
        }
    }

    private static Task<DovecotServer> Start(string capabilities)
        => DovecotServer.StartAsync(new DovecotServerOptions { ExtraConfiguration = new[] { "imap_capability = " + capabilities } });
}
