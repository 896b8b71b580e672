using System;
using System.Collections.Generic;
using System.Globalization;
using System.Reactive.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using ImapRx.Fetching;
using ImapRx.Internal;
using ImapRx.Model;
using ImapRx.Resilience;
using ImapRx.Wire;
using MailKit;

namespace ImapRx.Operations;

/// <summary>
/// The header fetch (<c>Messages</c>/<c>MessageBatches</c>) on the native reader. <see cref="NativePlanner"/> plans it
/// (on the first bulk session where it can); bulk connections on counted pool slots (<see cref="WireSession"/>)
/// EXAMINE the folder, check UIDVALIDITY, and read batch after batch with UID FETCH, parsed by <see cref="WireFetchParser"/>. A batch
/// the reader rejects is fetched again through MailKit (counted, logged once) and never returned differently.
/// Resumes after the last UID delivered when a connection drops; disposing cancels the fetch and closes the socket.
/// </summary>
internal sealed class NativeFetchOperation
{
    private readonly ClientContext _context;
    private readonly string _folder;
    private readonly FetchOptions _options;
    private readonly Func<CancellationToken, Task>? _demand;

    private NativeFetchOperation(ClientContext context, string folder, FetchOptions options, Func<CancellationToken, Task>? demand)
    {
        _demand = demand;
        _context = context;
        _folder = folder;
        _options = options;
    }

    /// <summary>True when this fetch can take the native path: headers only, a plain folder name.</summary>
    internal static bool Applies(string folder, FetchOptions options)
        => options.UseNativeReader && options.Bodies == BodyFetchMode.None && WireSession.CanName(folder);

    /// <summary>
    /// Bulk sessions side by side: <see cref="FetchOptions.MaxParallelism"/>, never more than the account's
    /// MaxConnections (the loop also takes only the slots that are free, see <see cref="NativeBatchLoop"/>).
    /// </summary>
    internal static int Parallelism(ClientContext context, FetchOptions options)
        => Math.Max(1, Math.Min(options.MaxParallelism, context.Account.MaxConnections));

    /// <param name="context">Account, pool, clock and retry policy.</param>
    /// <param name="folder">The folder.</param>
    /// <param name="options">What to fetch.</param>
    /// <param name="demand">Null for an observable; for a pull-based stream, awaited after each batch but the last.</param>
    internal static IObservable<IReadOnlyList<MailMessageInfo>> Create(ClientContext context, string folder, FetchOptions options, Func<CancellationToken, Task>? demand = null)
        => Observable.Defer(() =>
        {
            var operation = new NativeFetchOperation(context, folder, options, demand);
            var progress = new FetchProgress(options.SinceUid, 0);
            return Observable.Create<IReadOnlyList<MailMessageInfo>>((observer, subscription) => context.Lifetime.RunAsync(observer, subscription, async cancellationToken =>
                {
                    try
                    {
                        await operation.RunAsync(progress, observer, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ImapErrors.Translate(ex, $"Messages of '{folder}'") is var translated && !ReferenceEquals(translated, ex))
                    {
                        throw translated;
                    }
                }))
                .RetryWith(context.Retry, context.Scheduler);
        });

    private async Task RunAsync(FetchProgress progress, IObserver<IReadOnlyList<MailMessageInfo>> observer, CancellationToken cancellationToken)
    {
        var plan = await NativePlanner.PlanAsync(_context, _folder, _options, progress, cancellationToken).ConfigureAwait(false);
        if (plan is null)
        {
            return;
        }

        await NativeBatchLoop.RunAsync(
            plan.Planner,
            () => new BulkConnection(_context, _folder, plan.UidValidity),
            Parallelism(_context, _options),
            plan.Uids,
            _options.BatchSize,
            progress,
            observer,
            (session, offset, count, token) => FetchNativeAsync(session, plan, offset, count, progress, token),
            (offset, count, token) => FetchThroughMailKitAsync(plan, offset, count, progress, token),
            _demand,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One batch on the bulk connection; null when the reader rejected it.</summary>
    private async Task<List<MailMessageInfo>?> FetchNativeAsync(WireSession session, NativePlan plan, int offset, int count, FetchProgress progress, CancellationToken cancellationToken)
    {
        if (plan.HasModSeq && !session.HasModSeq)
        {
            Reject(progress, "the bulk session has no CONDSTORE");
            return null;
        }

        var items = plan.HasModSeq
            ? "UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE MODSEQ"
            : "UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE";
        var fetched = await session.FetchAsync(UidSet(plan.Uids, offset, count), items, keepRawMessage: false, cancellationToken).ConfigureAwait(false);
        if (fetched.RejectedBecause is { } reason)
        {
            Reject(progress, reason);
            return null;
        }

        var batch = new List<MailMessageInfo>(fetched.Summaries.Count);
        try
        {
            foreach (var summary in fetched.Summaries)
            {
                batch.Add(WireMessageMapper.ToInfo(summary, plan.FolderName, plan.FolderType, plan.UidValidity, plan.HasModSeq));
            }
        }
        catch (WireRejectedException ex)
        {
            Reject(progress, ex.Message);
            return null;
        }

        batch.Sort(static (a, b) => a.Uid.CompareTo(b.Uid));
        _context.Pool.Metrics.NativeBatches.Add(1);
        return batch;
    }

    private void Reject(FetchProgress progress, string reason) => NativeBatchLoop.CountFallback(_context, progress, reason);

    /// <summary>
    /// The batch as today's path fetches it: MailKit's FetchAsync, mapped by <see cref="MessageMapper"/>, a message
    /// MailKit cannot read narrowed down and read another way (<see cref="SummaryReader"/>).
    /// </summary>
    private async Task<List<MailMessageInfo>> FetchThroughMailKitAsync(NativePlan plan, int offset, int count, FetchProgress progress, CancellationToken cancellationToken)
    {
        var lease = await _context.Pool.LeaseAsync(_context.Account, cancellationToken).ConfigureAwait(false);
        LeaseFolderConnection? connection = null;
        try
        {
            var mailFolder = await lease.OpenFolderAsync(_folder, FolderAccess.ReadOnly, null, cancellationToken).ConfigureAwait(false);
            if (mailFolder.UidValidity != plan.UidValidity)
            {
                throw new ImapUidValidityChangedException(_folder, plan.UidValidity, mailFolder.UidValidity);
            }

            connection = new LeaseFolderConnection(_context, lease, mailFolder, _folder, scope: null);
            progress.Unreadable ??= new UnreadableMessages(_context.Logger, _context.Account.AccountKey);
            var chunk = FolderQueries.ToUidSet(plan.Uids, offset, count, plan.UidValidity);
            var batch = await FetchBatches.SummariesAsync(connection, _options, progress.Unreadable, chunk, cancellationToken).ConfigureAwait(false);
            batch.Sort((a, b) => a.Uid.CompareTo(b.Uid));
            return batch;
        }
        catch (Exception ex)
        {
            lease.Fail(ex);
            connection?.Fail(ex);
            throw;
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            await lease.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary><paramref name="count"/> ascending UIDs from <paramref name="offset"/> as an IMAP set, ranges collapsed.</summary>
    internal static string UidSet(List<uint> uids, int offset, int count)
    {
        var text = new StringBuilder();
        var i = offset;
        var end = offset + count;
        while (i < end)
        {
            var first = uids[i];
            var last = first;
            while (i + 1 < end && uids[i + 1] == last + 1)
            {
                i++;
                last = uids[i];
            }

            if (text.Length > 0)
            {
                text.Append(',');
            }

            text.Append(first.ToString(CultureInfo.InvariantCulture));
            if (last != first)
            {
                text.Append(':').Append(last.ToString(CultureInfo.InvariantCulture));
            }

            i++;
        }

        return text.ToString();
    }

    /// <summary>The bulk session and its pool slot, opened on first use.</summary>
    internal sealed class BulkConnection
    {
        private readonly ClientContext _context;
        private readonly string _folder;
        private readonly uint _uidValidity;
        private IAsyncDisposable? _slot;
        private WireSession? _session;

        /// <param name="context">Account and pool.</param>
        /// <param name="folder">The folder to EXAMINE.</param>
        /// <param name="uidValidity">The UIDVALIDITY the folder must still have; 0 for the session that plans the fetch.</param>
        internal BulkConnection(ClientContext context, string folder, uint uidValidity)
        {
            _context = context;
            _folder = folder;
            _uidValidity = uidValidity;
        }

        /// <summary>The folder, as the caller named it.</summary>
        internal string Folder => _folder;

        /// <summary>The folder as this session's EXAMINE described it (once <see cref="GetAsync"/> has returned a session).</summary>
        internal WireMailbox? Mailbox { get; private set; }

        /// <summary>Takes a pool slot for this session only if one is free now; false otherwise (see <see cref="NativeBatchLoop"/>).</summary>
        internal async Task<bool> TryReserveAsync()
        {
            _slot ??= await _context.Pool.TryLeaseSlotAsync(_context.Account).ConfigureAwait(false);
            return _slot is not null;
        }

        /// <summary>
        /// The session, opened on first use (on the slot <see cref="TryReserveAsync"/> took, else after waiting for
        /// one) and the folder EXAMINEd. <paramref name="beforeExamine"/>, when given, runs first on a new session; if
        /// it says no, the session stays open but unexamined and null is returned.
        /// </summary>
        internal async Task<WireSession?> GetAsync(CancellationToken cancellationToken, Func<WireSession, Task<bool>>? beforeExamine = null)
        {
            if (_session is not null)
            {
                return _session;
            }

            _slot ??= await _context.Pool.LeaseSlotAsync(_context.Account, cancellationToken).ConfigureAwait(false);
            try
            {
                var session = await WireSession.OpenAsync(_context.Account, cancellationToken).ConfigureAwait(false);
                _session = session;
                if (beforeExamine is not null && !await beforeExamine(session).ConfigureAwait(false))
                {
                    return null;
                }

                var mailbox = await session.ExamineAsync(_folder, cancellationToken).ConfigureAwait(false);
                if (_uidValidity != 0 && mailbox.UidValidity != _uidValidity)
                {
                    throw new ImapUidValidityChangedException(_folder, _uidValidity, mailbox.UidValidity);
                }

                Mailbox = mailbox;
                return session;
            }
            catch
            {
                await AbortAsync().ConfigureAwait(false);
                throw;
            }
        }

        /// <summary>
        /// After an error: no LOGOUT (the stream may be mid-response); the socket is half-closed and the server's
        /// end awaited (bounded) before the slot is given back.
        /// </summary>
        internal async Task AbortAsync()
        {
            var session = _session;
            var slot = _slot;
            _session = null;
            _slot = null;
            if (session is not null)
            {
                await session.AbortAsync().ConfigureAwait(false);
            }

            if (slot is not null)
            {
                await slot.DisposeAsync().ConfigureAwait(false);
            }
        }

        internal async Task CloseAsync()
        {
            var session = _session;
            var slot = _slot;
            _session = null;
            _slot = null;
            if (session is not null)
            {
                await session.DisposeAsync().ConfigureAwait(false);
            }

            if (slot is not null)
            {
                await slot.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
