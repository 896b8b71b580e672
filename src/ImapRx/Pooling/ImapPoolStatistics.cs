namespace ImapRx.Pooling;

/// <summary>A snapshot of one account's connections.</summary>
/// <param name="OpenConnections">Connections currently open (in use or idle).</param>
/// <param name="LeasesInUse">Leases handed out and not yet released.</param>
/// <param name="IdleConnections">Open connections waiting in the pool.</param>
/// <param name="LeasesWaiting">Callers waiting for a connection.</param>
public sealed record ImapPoolStatistics(int OpenConnections, int LeasesInUse, int IdleConnections, int LeasesWaiting = 0);
