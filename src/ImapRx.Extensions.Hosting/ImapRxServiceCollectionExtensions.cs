using System;
using System.Linq;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ImapRx.Extensions.Hosting;

/// <summary>
/// <c>services.AddImapRx(configuration.GetSection("Imap"))</c> or <c>builder.AddImapRx()</c>: every account under
/// <c>Imap:Accounts</c> becomes a keyed <see cref="IImapRxClient"/> (key = the account name) and is reachable through
/// <see cref="IImapRxClientFactory"/>; with one account, or <c>Imap:DefaultAccount</c>, also an unkeyed one.
/// </summary>
public static class ImapRxServiceCollectionExtensions
{
    /// <summary>The section <see cref="AddImapRx(IHostApplicationBuilder, string)"/> reads by default.</summary>
    public const string DefaultSectionName = "Imap";

    /// <summary>Adds ImapRx with the accounts of <paramref name="configuration"/> (a section such as <c>Imap</c>).</summary>
    /// <exception cref="InvalidOperationException">The section has no account, or <c>DefaultAccount</c> names none of them.</exception>
    public static ImapRxBuilder AddImapRx(this IServiceCollection services, IConfiguration configuration)
    {
        if (services is null)
        {
            throw new ArgumentNullException(nameof(services));
        }

        if (configuration is null)
        {
            throw new ArgumentNullException(nameof(configuration));
        }

        var path = configuration is IConfigurationSection section ? section.Path : string.Empty;
        var accounts = configuration.GetSection("Accounts");
        var names = accounts.GetChildren().Select(c => c.Key).OrderBy(n => n, StringComparer.Ordinal).ToList();
        if (names.Count == 0)
        {
            throw new InvalidOperationException($"{Prefix(path)}Accounts: no IMAP account is configured; add one, e.g. {Prefix(path)}Accounts:Main:Host.");
        }

        var defaultAccount = configuration["DefaultAccount"] is { Length: > 0 } chosen ? chosen : names.Count == 1 ? names[0] : null;
        if (defaultAccount is not null && !names.Contains(defaultAccount, StringComparer.Ordinal))
        {
            throw new InvalidOperationException($"{Prefix(path)}DefaultAccount: '{defaultAccount}' is not one of the accounts ({string.Join(", ", names)}).");
        }

        var registration = new ImapRxRegistration(path, names, defaultAccount);
        services.AddSingleton(registration);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ImapAccountSettings>, ImapAccountSettingsValidator>());
        foreach (var name in names)
        {
            services.AddOptions<ImapAccountSettings>(name).Bind(accounts.GetSection(name)).ValidateOnStart();
        }

        services.TryAddSingleton<ImapRxClientFactory>();
        services.TryAddSingleton<IImapRxClientFactory>(sp => sp.GetRequiredService<ImapRxClientFactory>());

        // Registered before the application's own hosted services, so it stops after them.
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, ImapRxHostedLifetime>());
        foreach (var name in names)
        {
            // The container disposes what this returns as well as the factory; a client's disposal is idempotent, and
            // the factory (created first, so disposed last) closes the shared pool after its clients.
            services.AddKeyedSingleton<IImapRxClient>(name, (sp, key) => sp.GetRequiredService<ImapRxClientFactory>().GetClient((string)key!));
        }

        if (defaultAccount is not null)
        {
            services.TryAddSingleton<IImapRxClient>(sp => sp.GetRequiredService<ImapRxClientFactory>().GetClient(defaultAccount));
        }

        return new ImapRxBuilder(services, names);
    }

    /// <summary>Adds ImapRx with the accounts of the section <paramref name="sectionName"/> of the builder's configuration.</summary>
    public static ImapRxBuilder AddImapRx(this IHostApplicationBuilder builder, string sectionName = DefaultSectionName)
    {
        if (builder is null)
        {
            throw new ArgumentNullException(nameof(builder));
        }

        return builder.Services.AddImapRx(builder.Configuration.GetSection(sectionName));
    }

    private static string Prefix(string path) => path.Length == 0 ? string.Empty : path + ":";
}
