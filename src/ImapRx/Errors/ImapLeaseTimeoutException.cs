using System;

namespace ImapRx;

/// <summary>No connection to the account became free within the lease timeout.</summary>
public sealed class ImapLeaseTimeoutException : ImapRxException
{
    /// <summary>Creates the exception.</summary>
    public ImapLeaseTimeoutException(string accountKey, TimeSpan waited, int maxConnections)
        : base(ImapErrorKind.LeaseTimeout, $"No connection to {accountKey} became free within {waited.TotalSeconds:0.###} s " +
               $"(all {maxConnections} in use). Release leases sooner, raise MaxConnections or LeaseTimeout.", null)
    {
        AccountKey = accountKey;
        Waited = waited;
    }

    /// <summary>The account (host:port:user) that had no free connection.</summary>
    public string AccountKey { get; }

    /// <summary>How long the caller waited.</summary>
    public TimeSpan Waited { get; }
}
