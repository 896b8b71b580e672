using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Reactive.Linq;
using ImapRx.Fetching;
using ImapRx.Model;
using ImapRx.PowerShell.Infrastructure;
using ImapRx.Search;
using MailKit.Search;

namespace ImapRx.PowerShell.Commands;

/// <summary>Search-ImapMessage: finds messages by common keys or an IMAP search string and outputs their summaries.</summary>
[Cmdlet(VerbsCommon.Search, "ImapMessage", DefaultParameterSetName = KeysSet)]
[OutputType(typeof(MailMessageInfo))]
public sealed class SearchImapMessageCommand : ImapFolderCmdlet
{
    private const string KeysSet = "Keys";
    private const string QuerySet = "Query";

    /// <summary>An IMAP search string, e.g. <c>FROM "ann@example.com" UNSEEN</c>.</summary>
    [Parameter(Mandatory = true, ParameterSetName = QuerySet)]
    [ValidateNotNullOrEmpty]
    public string Query { get; set; } = string.Empty;

    /// <summary>Only messages not yet read (no \Seen flag).</summary>
    [Parameter(ParameterSetName = KeysSet)] public SwitchParameter Unseen { get; set; }

    /// <summary>Only messages already read (\Seen).</summary>
    [Parameter(ParameterSetName = KeysSet)] public SwitchParameter Seen { get; set; }

    /// <summary>Only starred messages (\Flagged).</summary>
    [Parameter(ParameterSetName = KeysSet)] public SwitchParameter Flagged { get; set; }

    /// <summary>Only messages that are not starred.</summary>
    [Parameter(ParameterSetName = KeysSet)] public SwitchParameter Unflagged { get; set; }

    /// <summary>Only messages that were answered (\Answered).</summary>
    [Parameter(ParameterSetName = KeysSet)] public SwitchParameter Answered { get; set; }

    /// <summary>Only messages marked for deletion (\Deleted) but not yet expunged.</summary>
    [Parameter(ParameterSetName = KeysSet)] public SwitchParameter Deleted { get; set; }

    /// <summary>Only messages whose From header contains this text (case-insensitive, as the server matches).</summary>
    [Parameter(ParameterSetName = KeysSet)] public string? From { get; set; }

    /// <summary>Only messages whose To header contains this text.</summary>
    [Parameter(ParameterSetName = KeysSet)] public string? To { get; set; }

    /// <summary>Only messages whose subject contains this text.</summary>
    [Parameter(ParameterSetName = KeysSet)] public string? Subject { get; set; }

    /// <summary>Only messages whose body contains this text (the server searches; large folders take a while).</summary>
    [Parameter(ParameterSetName = KeysSet)] public string? Body { get; set; }

    /// <summary>Only messages received before this date (the server compares dates, not times).</summary>
    [Parameter(ParameterSetName = KeysSet)] public DateTime? Before { get; set; }

    /// <summary>Only messages received on or after this date.</summary>
    [Parameter(ParameterSetName = KeysSet)] public DateTime? Since { get; set; }

    /// <summary>Only messages larger than this many bytes.</summary>
    [Parameter(ParameterSetName = KeysSet)] [ValidateRange(0, int.MaxValue)] public int? Larger { get; set; }

    /// <summary>Only messages smaller than this many bytes.</summary>
    [Parameter(ParameterSetName = KeysSet)] [ValidateRange(1, int.MaxValue)] public int? Smaller { get; set; }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        var session = ResolveSession();
        IObservable<uint> uids;
        try
        {
            uids = ParameterSetName == QuerySet ? session.Client.Search(Folder, Query) : session.Client.Search(Folder, BuildQuery());
        }
        catch (Exception ex) when (ex is ImapSearchSyntaxException or ArgumentException)
        {
            WriteError(ErrorIds.ToErrorRecord(ex, ParameterSetName == QuerySet ? Query : Folder));
            return;
        }

        WriteVerbose($"Searching '{Folder}' for {(ParameterSetName == QuerySet ? Query : DescribeKeys())}.");
        var matches = new List<uint>();
        if (!Drain(uids, matches.Add, Folder))
        {
            return;
        }

        WriteVerbose($"{matches.Count} message(s) in '{Folder}' match; fetching their summaries.");
        if (matches.Count == 0)
        {
            return;
        }

        Drain(session.Client.Messages(Folder, new FetchOptions { Uids = matches }), m => WriteObject(m), Folder);
    }

    private string DescribeKeys()
    {
        var keys = MyInvocation.BoundParameters.Keys.Where(k => k is not nameof(Folder) and not nameof(Session) && !CommonParameters.Contains(k) && !OptionalCommonParameters.Contains(k))
            .Select(k => MyInvocation.BoundParameters[k] is SwitchParameter ? "-" + k : $"-{k} {MyInvocation.BoundParameters[k]}")
            .ToList();
        return keys.Count == 0 ? "every message" : string.Join(" ", keys);
    }

    private SearchQuery BuildQuery()
    {
        var parts = new List<SearchQuery>();
        if (Unseen) parts.Add(SearchQuery.NotSeen);
        if (Seen) parts.Add(SearchQuery.Seen);
        if (Flagged) parts.Add(SearchQuery.Flagged);
        if (Unflagged) parts.Add(SearchQuery.NotFlagged);
        if (Answered) parts.Add(SearchQuery.Answered);
        if (Deleted) parts.Add(SearchQuery.Deleted);
        if (!string.IsNullOrEmpty(From)) parts.Add(SearchQuery.FromContains(From!));
        if (!string.IsNullOrEmpty(To)) parts.Add(SearchQuery.ToContains(To!));
        if (!string.IsNullOrEmpty(Subject)) parts.Add(SearchQuery.SubjectContains(Subject!));
        if (!string.IsNullOrEmpty(Body)) parts.Add(SearchQuery.BodyContains(Body!));
        if (Before is { } before) parts.Add(SearchQuery.DeliveredBefore(before));
        if (Since is { } since) parts.Add(SearchQuery.DeliveredAfter(since));
        if (Larger is { } larger) parts.Add(SearchQuery.LargerThan(larger));
        if (Smaller is { } smaller) parts.Add(SearchQuery.SmallerThan(smaller));
        return parts.Count == 0 ? SearchQuery.All : parts.Aggregate(SearchQuery.And);
    }
}
