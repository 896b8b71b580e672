using System;
using System.Collections.Generic;

namespace ImapRx.Fetching;

/// <summary>What a message fetch returns and how it is batched. Messages are never marked read.</summary>
public sealed class FetchOptions
{
    /// <summary>The default batch size.</summary>
    public const int DefaultBatchSize = 500;

    private int _batchSize = DefaultBatchSize;
    private int _maxParallelism = 1;
    private IReadOnlyCollection<uint>? _uids;
    private ParsedWhere? _where;

    /// <summary>Messages per UID FETCH; memory follows this, not the folder size.</summary>
    /// <value>The default is 500; allowed 1 to 10,000.</value>
    public int BatchSize
    {
        get => _batchSize;
        set => _batchSize = value is >= 1 and <= 10_000
            ? value
            : throw new ArgumentOutOfRangeException(nameof(BatchSize), value, "BatchSize must be between 1 and 10000.");
    }

    /// <summary>Only messages with a UID greater than this (the spec's <c>start_uid</c> for incremental fetches).</summary>
    /// <value>The default is 0: every message.</value>
    public uint SinceUid { get; set; }

    /// <summary>Only these UIDs (in addition to <see cref="SinceUid"/>); null for all. 0 is not a UID.</summary>
    public IReadOnlyCollection<uint>? Uids
    {
        get => _uids;
        set
        {
            if (value is not null)
            {
                foreach (var uid in value)
                {
                    if (uid == 0)
                    {
                        throw new ArgumentOutOfRangeException(nameof(Uids), "0 is not a valid UID.");
                    }
                }
            }

            _uids = value;
        }
    }

    /// <summary>
    /// Only messages matching this IMAP search string (e.g. <c>UNSEEN FROM "ann@example.com"</c>): the search and
    /// the fetch run on one connection and one SELECT. Checked when set: a malformed string throws
    /// <see cref="ImapRx.Search.ImapSearchSyntaxException"/> here. Combines with <see cref="SinceUid"/>,
    /// <see cref="Uids"/> and <see cref="Limit"/>.
    /// </summary>
    /// <value>The default is null: every message.</value>
    public string? Where
    {
        get => _where?.Text;
        set => _where = value is null ? null : new ParsedWhere(value, ImapRx.Search.ImapSearchParser.Parse(value));
    }

    /// <summary>The parsed <see cref="Where"/>.</summary>
    internal ImapRx.Search.ImapSearchCriteria? WhereCriteria => _where?.Criteria;

    /// <summary>Stop after this many messages; null for no limit.</summary>
    public int? Limit { get; set; }

    /// <summary>Which bodies to fetch.</summary>
    /// <value>The default is <see cref="BodyFetchMode.None"/>.</value>
    public BodyFetchMode Bodies { get; set; } = BodyFetchMode.None;

    /// <summary>
    /// How many pooled connections fetch at once. Above 1, the UIDs are looked up first and split into batches that
    /// up to this many connections fetch side by side; batches are still emitted in UID order, and at most this
    /// many are held in memory. Each connection counts against the account's MaxConnections (leases beyond it wait).
    /// </summary>
    /// <value>The default is 1: one connection, one batch after another. Allowed 1 to 32.</value>
    public int MaxParallelism
    {
        get => _maxParallelism;
        set => _maxParallelism = value is >= 1 and <= 32
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxParallelism), value, "MaxParallelism must be between 1 and 32.");
    }

    /// <summary>
    /// Opt in to ImapRx's own FETCH reader for header fetches (<see cref="Bodies"/> = <see cref="BodyFetchMode.None"/>)
    /// and whole-message fetches (<c>MessageContents</c>): bulk sessions of its own, counted against the pool, plan the
    /// fetch (unless <see cref="Where"/> is set) and read it, up to <see cref="MaxParallelism"/>
    /// side by side, instead of MailKit's reader. The result is the same (a batch the reader cannot prove it
    /// understood is fetched again through MailKit). Off by default until it has run as the default through the
    /// whole test suite.
    /// </summary>
    /// <value>The default is false.</value>
    public bool UseNativeReader { get; set; }

    /// <summary>Shared default instance.</summary>
    public static FetchOptions Default => new();

    private sealed record ParsedWhere(string Text, ImapRx.Search.ImapSearchCriteria Criteria);
}
