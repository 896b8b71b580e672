using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;

namespace ImapRx.Extensions.Hosting;

/// <summary>
/// When the host stops, the idle pooled connections say LOGOUT (registered first, so it stops after the services
/// that use ImapRx). The clients stay usable until the container disposes them.
/// </summary>
internal sealed class ImapRxHostedLifetime : IHostedService
{
    private readonly ImapRxClientFactory _factory;

    public ImapRxHostedLifetime(ImapRxClientFactory factory) => _factory = factory;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
        => _factory.PoolCreated ? _factory.Pool.ClearAsync().AsTask() : Task.CompletedTask;
}
