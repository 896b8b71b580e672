using ImapRx.Sandbox.Server;

namespace ImapRx.Tests.Server;

/// <summary>
/// One sandbox Dovecot per collection that uses it (<see cref="DovecotCollection"/> and its siblings; tests isolate
/// themselves with <see cref="DovecotServer.CreateUserAsync"/>).
/// When Dovecot cannot start it stays empty so skipped tests cost nothing, except on CI where it fails loudly.
/// </summary>
public sealed class DovecotFixture : IAsyncLifetime
{
    private DovecotServer? _server;

    /// <summary>Gets the running server.</summary>
    /// <exception cref="InvalidOperationException">Dovecot is unavailable on this machine (the message says why and how to install it).</exception>
    public DovecotServer Server => _server ?? throw new InvalidOperationException(
        DovecotInstallation.UnavailableReason ?? "The Dovecot sandbox was not started.");

    /// <summary>Creates a user with a fresh mailbox on the shared server.</summary>
    public Task<SandboxUser> CreateUserAsync(CancellationToken cancellationToken = default) =>
        Server.CreateUserAsync(cancellationToken: cancellationToken);

    public async Task InitializeAsync()
    {
        if (DovecotInstallation.UnavailableReason is { } reason)
        {
            if (DovecotRequirement.IsCi)
            {
                throw new InvalidOperationException("CI=true but the Dovecot sandbox cannot start: " + reason);
            }

            return;
        }

        // The directory outlives the server only until DisposeAsync hands it to SandboxTrash.
        _server = await DovecotServer.StartAsync(new DovecotServerOptions { KeepRootDirectory = true });
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
            SandboxTrash.DeleteInBackground(_server.RootDirectory);
        }
    }
}
