using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ImapRx.Fetching;
using ImapRx.Model;
using ImapRx.Wire;
using MailKit;

namespace ImapRx.Operations;

/// <summary>What a native fetch reads: the UIDs still to deliver and what the folder is.</summary>
/// <param name="Uids">The UIDs still to deliver, ascending, never empty.</param>
/// <param name="UidValidity">The folder's UIDVALIDITY.</param>
/// <param name="FolderName">The server's name for the folder.</param>
/// <param name="FolderType">What the folder is for (its kind decides IsSent, IsSpam, IsDraft).</param>
/// <param name="HasModSeq">The folder keeps mod-sequences.</param>
/// <param name="Planner">The bulk session that planned the fetch (open, the folder examined), to read the first batch; null when MailKit planned it.</param>
internal sealed record NativePlan(List<uint> Uids, uint UidValidity, string FolderName, MailFolderType FolderType, bool HasModSeq, NativeFetchOperation.BulkConnection? Planner);

/// <summary>
/// Plans a native fetch (headers, <see cref="NativeFetchOperation"/>; whole messages, <see cref="NativeContentsOperation"/>),
/// on its first bulk session where it can: <c>LIST</c> (the folder's server name and attributes), <c>EXAMINE</c>
/// (UIDVALIDITY, checked against the first attempt's; the message count; mod-sequences) and <c>UID SEARCH</c> for the
/// UIDs after the last one delivered (a <see cref="FetchOptions.Uids"/> list needs no search: it is read as given).
/// The folder is then opened once, on the session that goes on to read the first batch, instead of on a pooled
/// MailKit connection and again on the bulk session: on a big Maildir folder each open is a directory scan on the
/// server (see docs/benchmarks.md). A fetch with a search (<see cref="FetchOptions.Where"/>), a folder LIST cannot
/// name exactly (a wildcard in the name, no such folder), or a search answer the reader will not expand, is planned
/// on a pooled MailKit connection, whose answer (or error) is then the answer.
/// </summary>
internal static class NativePlanner
{
    /// <summary>
    /// The plan, or null when there is nothing to deliver (an empty folder, the limit reached, no UID after the last
    /// delivered). Sets <paramref name="progress"/>'s UIDVALIDITY, and throws when it changed since the first attempt.
    /// </summary>
    internal static async Task<NativePlan?> PlanAsync(ClientContext context, string folder, FetchOptions options, FetchProgress progress, CancellationToken cancellationToken)
    {
        if (CanPlanOnBulk(folder, options))
        {
            var bulk = new NativeFetchOperation.BulkConnection(context, folder, progress.UidValidity);
            var (planned, plan) = await PlanOnBulkAsync(bulk, options, progress, cancellationToken).ConfigureAwait(false);
            if (planned)
            {
                return plan;
            }
        }

        return await PlanOnMailKitAsync(context, folder, options, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>True when a fetch can be planned on the bulk session at all.</summary>
    private static bool CanPlanOnBulk(string folder, FetchOptions options)
        => options.WhereCriteria is null && folder.IndexOf('%') < 0 && folder.IndexOf('*') < 0;

    /// <summary>
    /// Plans on <paramref name="bulk"/>. Planned with a plan: the session stays open for the batch loop. Planned
    /// with null: nothing to deliver. Not planned: MailKit plans instead. The session is closed unless it goes on; a
    /// failure aborts it and is thrown.
    /// </summary>
    private static async Task<(bool Planned, NativePlan? Plan)> PlanOnBulkAsync(
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
                return (false, null);
            }

            var mailbox = bulk.Mailbox!;
            progress.UidValidity = mailbox.UidValidity;
            if (mailbox.Exists == 0 || (options.Limit is { } limit && progress.Delivered >= limit))
            {
                await bulk.CloseAsync().ConfigureAwait(false);
                return (true, null);
            }

            List<uint> uids;
            if (options.Uids is { } wanted)
            {
                // A UID list is read as the MailKit path reads it: no search, the FETCH skips UIDs the folder lacks.
                uids = FetchBatches.WantedUids(wanted, progress.LastUid);
            }
            else
            {
                try
                {
                    uids = await session.SearchUidsAfterAsync(progress.LastUid, mailbox.Exists, cancellationToken).ConfigureAwait(false);
                }
                catch (WireRejectedException)
                {
                    // An answer this reader will not expand (more UIDs than messages): MailKit plans instead.
                    await bulk.CloseAsync().ConfigureAwait(false);
                    return (false, null);
                }
            }

            uids = Limited(uids, options, progress);
            if (uids.Count == 0)
            {
                await bulk.CloseAsync().ConfigureAwait(false);
                return (true, null);
            }

            var folderType = FolderTypeClassifier.Classify(listed.Attributes, listed.Name, listed.Delimiter);
            return (true, new NativePlan(uids, mailbox.UidValidity, listed.Name, folderType, mailbox.HasModSeq, bulk));
        }
        catch
        {
            await bulk.AbortAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>On a pooled MailKit connection: open the folder, check UIDVALIDITY, look the UIDs up, classify the folder.</summary>
    private static async Task<NativePlan?> PlanOnMailKitAsync(ClientContext context, string folder, FetchOptions options, FetchProgress progress, CancellationToken cancellationToken)
    {
        var lease = await context.Pool.LeaseAsync(context.Account, cancellationToken).ConfigureAwait(false);
        try
        {
            var mailFolder = await lease.OpenFolderAsync(folder, FolderAccess.ReadOnly, null, cancellationToken).ConfigureAwait(false);
            if (progress.UidValidity != 0 && progress.UidValidity != mailFolder.UidValidity)
            {
                throw new ImapUidValidityChangedException(folder, progress.UidValidity, mailFolder.UidValidity);
            }

            progress.UidValidity = mailFolder.UidValidity;
            if (mailFolder.Count == 0 || (options.Limit is { } limit && progress.Delivered >= limit))
            {
                return null;
            }

            var uids = Limited(await FetchBatches.UidsAsync(mailFolder, options, progress.LastUid, cancellationToken).ConfigureAwait(false), options, progress);
            return uids.Count == 0
                ? null
                : new NativePlan(uids, mailFolder.UidValidity, mailFolder.FullName, FolderTypeClassifier.Classify(mailFolder), mailFolder.Supports(FolderFeature.ModSequences), Planner: null);
        }
        catch (System.Exception ex)
        {
            lease.Fail(ex);
            throw;
        }
        finally
        {
            await lease.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>At most as many UIDs as the limit still allows.</summary>
    private static List<uint> Limited(List<uint> uids, FetchOptions options, FetchProgress progress)
        => options.Limit is { } max ? uids.Take(max - progress.Delivered).ToList() : uids;
}
