using System;
using System.Collections.Generic;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ImapRx.Extensions.Hosting;

/// <summary><c>services.AddHealthChecks().AddImapRx()</c>.</summary>
public static class ImapRxHealthChecksBuilderExtensions
{
    /// <summary>
    /// Checks every configured account (or only <paramref name="accountName"/>): pool statistics in the result's data,
    /// and a NOOP on a pooled connection. Failing NOOP: <paramref name="failureStatus"/> (default unhealthy);
    /// callers waiting for a connection: degraded.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="accountName">One account, or null for all.</param>
    /// <param name="name">The check's name. The default is <c>imaprx</c> (or <c>imaprx:&lt;account&gt;</c>).</param>
    /// <param name="failureStatus">Reported when a NOOP fails. The default is <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags to filter checks by.</param>
    /// <param name="timeout">How long the check may take. The default is 10 seconds.</param>
    public static IHealthChecksBuilder AddImapRx(
        this IHealthChecksBuilder builder,
        string? accountName = null,
        string? name = null,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null,
        TimeSpan? timeout = null)
    {
        if (builder is null)
        {
            throw new ArgumentNullException(nameof(builder));
        }

        return builder.Add(new HealthCheckRegistration(
            name ?? (accountName is null ? "imaprx" : "imaprx:" + accountName),
            services => new ImapRxHealthCheck(services.GetRequiredService<ImapRxClientFactory>(), accountName),
            failureStatus,
            tags,
            timeout ?? TimeSpan.FromSeconds(10)));
    }
}
