using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ImapRx.Extensions.Hosting;

/// <summary>
/// Per account: the pool's statistics, then a NOOP on a pooled connection (which opens one if none is idle).
/// Unhealthy when the NOOP fails; degraded when callers are waiting for a connection (the NOOP is skipped then, so
/// the check does not queue behind them); healthy otherwise.
/// </summary>
internal sealed class ImapRxHealthCheck : IHealthCheck
{
    private readonly ImapRxClientFactory _factory;
    private readonly string? _accountName;

    public ImapRxHealthCheck(ImapRxClientFactory factory, string? accountName)
    {
        _factory = factory;
        _accountName = accountName;
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var names = _accountName is null ? _factory.AccountNames.ToList() : new List<string> { _accountName };
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var failures = new List<string>();
        var waiting = new List<string>();
        Exception? firstError = null;
        foreach (var name in names)
        {
            var account = _factory.GetAccount(name);
            if (_factory.Pool.GetStatistics(account).LeasesWaiting > 0)
            {
                waiting.Add(name);
                AddStatistics(data, name, account);
                continue;
            }

            try
            {
                await _factory.Pool.PingAsync(account, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                firstError ??= ex;
                failures.Add($"{name}: {(ex is OperationCanceledException ? "no answer before the health check's timeout" : ex.Message)}");
            }

            AddStatistics(data, name, account);
        }

        if (failures.Count > 0)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "IMAP NOOP failed for " + string.Join("; ", failures), firstError, data);
        }

        return waiting.Count > 0
            ? HealthCheckResult.Degraded($"Callers are waiting for a connection to {string.Join(", ", waiting)}.", data: data)
            : HealthCheckResult.Healthy($"NOOP answered for {string.Join(", ", names)}.", data);
    }

    // After the NOOP, so the numbers include the connection it used.
    private void AddStatistics(Dictionary<string, object> data, string name, Configuration.ImapAccountOptions account)
    {
        var statistics = _factory.Pool.GetStatistics(account);
        data[$"{name}.open"] = statistics.OpenConnections;
        data[$"{name}.in_use"] = statistics.LeasesInUse;
        data[$"{name}.idle"] = statistics.IdleConnections;
        data[$"{name}.waiting"] = statistics.LeasesWaiting;
    }
}
