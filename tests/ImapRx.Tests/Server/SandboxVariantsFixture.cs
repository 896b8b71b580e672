using ImapRx.Sandbox.Server;

namespace ImapRx.Tests.Server;

/// <summary>
/// The two odd servers, started on first use and shared by a test class: one presenting a certificate
/// no one trusts, and one with TLS switched off (no STARTTLS, no TLS port).
/// </summary>
public sealed class SandboxVariantsFixture : IAsyncLifetime
{
    private readonly Lazy<Task<DovecotServer>> _untrusted =
        new(() => DovecotServer.StartAsync(new DovecotServerOptions { UntrustedCertificate = true }));

    private readonly Lazy<Task<DovecotServer>> _plainOnly =
        new(() => DovecotServer.StartAsync(new DovecotServerOptions { EnableSsl = false }));

    public Task<DovecotServer> UntrustedAsync() => _untrusted.Value;

    public Task<DovecotServer> PlainOnlyAsync() => _plainOnly.Value;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var lazy in new[] { _untrusted, _plainOnly })
        {
            if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
            {
                await lazy.Value.Result.DisposeAsync();
            }
        }
    }
}
