using System;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;

namespace ImapRx.Orleans;

/// <summary>Adds ImapRx's account grains to a silo.</summary>
public static class SiloBuilderExtensions
{
    /// <summary>
    /// Adds account grains, their placement and reminders, with <typeparamref name="TResolver"/> giving each account's
    /// server and credentials and <typeparamref name="THandler"/> receiving the events. The silo also needs a grain
    /// storage provider named <see cref="ImapRxOrleansOptions.StorageName"/> and a durable reminder table
    /// (ADO.NET, Redis, Azure...) shared by the cluster.
    /// </summary>
    public static ISiloBuilder AddImapRx<TResolver, THandler>(this ISiloBuilder builder, Action<ImapRxOrleansOptions>? configure = null)
        where TResolver : class, IImapAccountResolver
        where THandler : class, IImapEventHandler
    {
        if (builder is null)
        {
            throw new ArgumentNullException(nameof(builder));
        }

        builder.AddReminders();
        builder.AddPlacementDirector<AccountPlacement, AccountPlacementDirector>();
        var options = builder.Services.AddOptions<ImapRxOrleansOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.AddSingleton<IImapAccountResolver, TResolver>();
        builder.Services.AddSingleton<IImapEventHandler, THandler>();
        return builder;
    }
}
