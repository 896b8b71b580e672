using System.Collections.Generic;

namespace ImapRx.Operations;

/// <summary>
/// One batch of a parallel fetch: exactly these UIDs, looked up under this UIDVALIDITY, on a connection that keeps
/// the fetch's selection between its batches (<paramref name="Scope"/> names the fetch).
/// </summary>
internal sealed record FetchPlan(IReadOnlyList<uint> Uids, uint UidValidity, object Scope);
