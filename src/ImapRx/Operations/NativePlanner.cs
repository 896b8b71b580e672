using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ImapRx.Fetching;
using ImapRx.Wire;

namespace ImapRx.Operations;

/// <summary>
/// Plans a native fetch on its first bulk session: <c>LIST</c> (the folder's server name and attributes),
/// <c>EXAMINE</c> (UIDVALIDITY, checked against the first attempt's; the message count; mod-sequences) and
/// <c>UID SEARCH</c> for the UIDs after the last one delivered. The folder is then opened once, on the session that
/// goes on to read the first batch, instead of on a pooled MailKit connection first and the bulk session again: on
/// a big Maildir folder each open is a directory scan on the server (see docs/benchmarks.md).
/// A fetch with a search (<see cref="FetchOptions.Where"/>) or a UID list, or a folder LIST cannot name exactly
/// (a wildcard in the name, no such folder), is planned on MailKit as before: <see cref="Outcome.NotHere"/>.
/// </summary>
internal static class NativePlanner
{
    internal enum Outcome
    {
        /// <summary>Planned: the bulk session is open with the folder examined; the UIDs are in the result.</summary>
        Planned,

        /// <summary>Nothing to deliver (an empty folder, the limit reached, no UID after the last delivered).</summary>
        Empty,

        /// <summary>Plan on a pooled MailKit connection instead (the bulk session was closed).</summary>
        NotHere,
    }

    /// <summary>True when a fetch can be planned on the bulk session at all.</summary>
    internal static bool Applies(string folder, FetchOptions options)
        => options.WhereCriteria is null && options.Uids is null && folder.IndexOf('%') < 0 && folder.IndexOf('*') < 0;

    /// <summary>
    /// Plans on <paramref name="bulk"/> (whose expected UIDVALIDITY is <paramref name="progress"/>'s). On
    /// <see cref="Outcome.Planned"/> the session stays open for the batch loop; otherwise it is closed. A failure
    /// aborts it and is thrown.
    /// </summary>
    internal static async Task<(Outcome Outcome, List<uint>? Uids, WireFolder? Folder, WireMailbox? Mailbox)> PlanAsync(
        NativeFetchOperation.BulkConnection bulk, FetchOptions options, FetchProgress progress, CancellationToken cancellationToken)
    {
        try
        {
            WireFolder? listed = null;
            var session = await bulk.GetAsync(
                cancellationToken,
                async opened => (listed = await opened.ListAsync(bulk.Folder, cancellationToken).ConfigureAwait(false)) is not null).ConfigureAwait(false);
            if (session is null || listed is null)
            {
                await bulk.CloseAsync().ConfigureAwait(false);
                return (Outcome.NotHere, null, null, null);
            }

            var mailbox = bulk.Mailbox!;
            progress.UidValidity = mailbox.UidValidity;
            if (mailbox.Exists == 0 || (options.Limit is { } limit && progress.Delivered >= limit))
            {
                await bulk.CloseAsync().ConfigureAwait(false);
                return (Outcome.Empty, null, null, null);
            }

            List<uint> uids;
            try
            {
                uids = await session.SearchUidsAfterAsync(progress.LastUid, mailbox.Exists, cancellationToken).ConfigureAwait(false);
            }
            catch (WireRejectedException)
            {
                // An answer this reader will not expand (more UIDs than messages): MailKit plans instead.
                await bulk.CloseAsync().ConfigureAwait(false);
                return (Outcome.NotHere, null, null, null);
            }

            if (options.Limit is { } max)
            {
                uids = uids.Take(max - progress.Delivered).ToList();
            }

            if (uids.Count == 0)
            {
                await bulk.CloseAsync().ConfigureAwait(false);
                return (Outcome.Empty, null, null, null);
            }

            return (Outcome.Planned, uids, listed, mailbox);
        }
        catch
        {
            await bulk.AbortAsync().ConfigureAwait(false);
            throw;
        }
    }
}
