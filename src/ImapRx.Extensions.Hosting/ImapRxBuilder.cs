using System;
using System.Collections.Generic;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ImapRx.Extensions.Hosting;

/// <summary>What <c>AddImapRx</c> returns: the services, the configured account names, and a way to add a token provider.</summary>
public sealed class ImapRxBuilder
{
    internal ImapRxBuilder(IServiceCollection services, IReadOnlyCollection<string> accountNames)
    {
        Services = services;
        AccountNames = accountNames;
    }

    /// <summary>The service collection ImapRx was added to.</summary>
    public IServiceCollection Services { get; }

    /// <summary>The account names found under <c>Accounts</c>.</summary>
    public IReadOnlyCollection<string> AccountNames { get; }

    /// <summary>
    /// Registers <typeparamref name="TProvider"/> as the OAuth2 token provider of <paramref name="accountName"/>,
    /// or of every OAuth2 account when it is null.
    /// </summary>
    public ImapRxBuilder AddAccessTokenProvider<TProvider>(string? accountName = null)
        where TProvider : class, IImapAccessTokenProvider
    {
        if (accountName is null)
        {
            Services.TryAddSingleton<IImapAccessTokenProvider, TProvider>();
        }
        else
        {
            Services.AddKeyedSingleton<IImapAccessTokenProvider, TProvider>(accountName);
        }

        return this;
    }

    /// <summary>Registers a token provider built by <paramref name="factory"/> (see <see cref="AddAccessTokenProvider{TProvider}"/>).</summary>
    public ImapRxBuilder AddAccessTokenProvider(Func<IServiceProvider, IImapAccessTokenProvider> factory, string? accountName = null)
    {
        if (factory is null)
        {
            throw new ArgumentNullException(nameof(factory));
        }

        if (accountName is null)
        {
            Services.TryAddSingleton(factory);
        }
        else
        {
            Services.AddKeyedSingleton(accountName, (services, _) => factory(services));
        }

        return this;
    }
}
