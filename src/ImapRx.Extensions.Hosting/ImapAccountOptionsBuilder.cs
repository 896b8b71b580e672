using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography.X509Certificates;
using ImapRx.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Polly;
using Polly.Registry;

namespace ImapRx.Extensions.Hosting;

/// <summary>
/// Turns one account's settings into <see cref="ImapAccountOptions"/>, with the library's own checks, and says
/// every problem at once as "&lt;configuration key&gt;: &lt;what is wrong&gt;". Used by the start-time validation and
/// by the factory, so what starts is what runs.
/// </summary>
internal static class ImapAccountOptionsBuilder
{
    internal static ImapAccountOptions? TryBuild(string accountName, string sectionPath, ImapAccountSettings settings, IServiceProvider services, List<string> errors)
    {
        string Key(string property) => $"{sectionPath}:{property}";

        var credential = BuildCredential(accountName, settings, services, errors, Key);
        if (string.IsNullOrWhiteSpace(settings.Host))
        {
            errors.Add($"{Key("Host")}: the server's host name is required.");
        }

        if (string.IsNullOrEmpty(settings.Username))
        {
            errors.Add($"{Key("Username")}: the login name is required.");
        }

        if (errors.Count > 0 || credential is null)
        {
            return null;
        }

        ImapAccountOptions account;
        try
        {
            account = new ImapAccountOptions(settings.Host!, settings.Username!, credential);
        }
        catch (ArgumentException ex)
        {
            errors.Add($"{Key(KeyOf(ex.ParamName))}: {Message(ex)}");
            return null;
        }

        Set(nameof(settings.Encryption), settings.Encryption, v => account.Encryption = v);
        Set(nameof(settings.Port), settings.Port, v => account.Port = v);
        Set(nameof(settings.Timeout), settings.Timeout, v => account.Timeout = v);
        Set(nameof(settings.IdleTimeout), settings.IdleTimeout, v => account.IdleTimeout = v);
        Set(nameof(settings.MaxRetries), settings.MaxRetries, v => account.MaxRetries = v);
        Set(nameof(settings.RetryDelay), settings.RetryDelay, v => account.RetryDelay = v);
        Set(nameof(settings.MaxRetryDelay), settings.MaxRetryDelay, v => account.MaxRetryDelay = v);
        Set(nameof(settings.MaxConnections), settings.MaxConnections, v => account.MaxConnections = v);
        Set(nameof(settings.ConnectionIdleLifetime), settings.ConnectionIdleLifetime, v => account.ConnectionIdleLifetime = v);
        Set(nameof(settings.HealthCheckAfter), settings.HealthCheckAfter, v => account.HealthCheckAfter = v);
        Set(nameof(settings.LeaseTimeout), settings.LeaseTimeout, v => account.LeaseTimeout = v);
        Set(nameof(settings.UseQuickResync), settings.UseQuickResync, v => account.UseQuickResync = v);
        account.ClientId = settings.ClientId;
        if (settings.PinnedCertificateSha256 is { Length: > 0 } pins)
        {
            account.PinnedCertificateSha256 = pins;
        }

        if (settings.TrustedCaPaths is { Length: > 0 } paths)
        {
            var authorities = new List<X509Certificate2>();
            for (var i = 0; i < paths.Length; i++)
            {
                try
                {
                    authorities.Add(new X509Certificate2(File.ReadAllBytes(paths[i])));
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
                {
                    errors.Add($"{Key("TrustedCaPaths")}:{i}: cannot read a certificate from '{paths[i]}': {ex.Message}");
                }
            }

            account.TrustedCertificateAuthorities = authorities;
        }

        if (!string.IsNullOrEmpty(settings.ResiliencePipeline))
        {
            var provider = services.GetService<ResiliencePipelineProvider<string>>();
            if (provider is null)
            {
                errors.Add($"{Key("ResiliencePipeline")}: '{settings.ResiliencePipeline}' names a Polly pipeline, but none is registered (services.AddResiliencePipeline(\"{settings.ResiliencePipeline}\", ...)).");
            }
            else if (!provider.TryGetPipeline(settings.ResiliencePipeline!, out var pipeline))
            {
                errors.Add($"{Key("ResiliencePipeline")}: no Polly pipeline named '{settings.ResiliencePipeline}' is registered.");
            }
            else
            {
                account.ConnectPipeline = pipeline;
            }
        }

        return errors.Count == 0 ? account : null;

        void Set<T>(string property, T? value, Action<T> apply)
            where T : struct
        {
            if (value is null)
            {
                return;
            }

            try
            {
                apply(value.Value);
            }
            catch (ArgumentException ex)
            {
                errors.Add($"{Key(property)}: {Message(ex)}");
            }
        }
    }

    private static ImapCredential? BuildCredential(string accountName, ImapAccountSettings settings, IServiceProvider services, List<string> errors, Func<string, string> key)
    {
        var authentication = string.IsNullOrEmpty(settings.Authentication) ? "Password" : settings.Authentication!;
        if (string.Equals(authentication, "Password", StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrEmpty(settings.Password))
            {
                errors.Add($"{key("Password")}: a password is required (user secrets or an environment variable, not appsettings.json), or set {key("Authentication")} to XOAuth2 or OAuthBearer.");
                return null;
            }

            return ImapCredential.FromPassword(settings.Password!);
        }

        OAuth2Mechanism mechanism;
        if (string.Equals(authentication, "XOAuth2", StringComparison.OrdinalIgnoreCase))
        {
            mechanism = OAuth2Mechanism.XOAuth2;
        }
        else if (string.Equals(authentication, "OAuthBearer", StringComparison.OrdinalIgnoreCase))
        {
            mechanism = OAuth2Mechanism.OAuthBearer;
        }
        else
        {
            errors.Add($"{key("Authentication")}: '{authentication}' is not Password, XOAuth2 or OAuthBearer.");
            return null;
        }

        if (!string.IsNullOrEmpty(settings.Password))
        {
            errors.Add($"{key("Password")}: set a password or OAuth2 ({key("Authentication")} = {authentication}), not both.");
            return null;
        }

        var provider = services.GetKeyedService<IImapAccessTokenProvider>(accountName) ?? services.GetService<IImapAccessTokenProvider>();
        if (provider is null)
        {
            errors.Add($"{key("Authentication")}: {authentication} needs an IImapAccessTokenProvider in the container (keyed \"{accountName}\" or unkeyed).");
            return null;
        }

        return ImapCredential.FromAccessTokenProvider((forceRefresh, ct) => provider.GetAccessTokenAsync(accountName, forceRefresh, ct), mechanism);
    }

    // The library names constructor parameters in camel case and properties in Pascal case; configuration keys are the latter.
    private static string KeyOf(string? parameter)
        => string.IsNullOrEmpty(parameter) ? "?" : char.ToUpperInvariant(parameter![0]) + parameter.Substring(1);

    // ArgumentException appends " (Parameter 'x')" on .NET Core; the key already says which.
    private static string Message(ArgumentException ex)
    {
        var message = ex.Message;
        var suffix = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        var text = suffix >= 0 ? message.Substring(0, suffix) : message;
        var newline = text.IndexOf('\n');
        return (newline >= 0 ? text.Substring(0, newline) : text).Trim();
    }
}
