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
public sealed class SearchImapMessageCommand : ImapCmdlet
{
    private const string KeysSet = "Keys";
    private const string QuerySet = "Query";

    /// <summary>The folder; binds from a folder's FullName in the pipeline.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ArgumentCompleter(typeof(Completers.FolderNameCompleter))]
    public string Folder { get; set; } = "INBOX";

    /// <summary>An IMAP search string, e.g. <c>FROM "ann@example.com" UNSEEN</c>.</summary>
    [Parameter(Mandatory = true, ParameterSetName = QuerySet)]
    [ValidateNotNullOrEmpty]
    public string Query { get; set; } = string.Empty;

#pragma warning disable SA1600
    [Parameter(ParameterSetName = KeysSet)] public SwitchParameter Unseen { get; set; }
    [Parameter(ParameterSetName = KeysSet)] public SwitchParameter Seen { get; set; }
    [Parameter(ParameterSetName = KeysSet)] public SwitchParameter Flagged { get; set; }
    [Parameter(ParameterSetName = KeysSet)] public SwitchParameter Unflagged { get; set; }
    [Parameter(ParameterSetName = KeysSet)] public SwitchParameter Answered { get; set; }
    [Parameter(ParameterSetName = KeysSet)] public SwitchParameter Deleted { get; set; }
    [Parameter(ParameterSetName = KeysSet)] public string? From { get; set; }
    [Parameter(ParameterSetName = KeysSet)] public string? To { get; set; }
    [Parameter(ParameterSetName = KeysSet)] public string? Subject { get; set; }
    [Parameter(ParameterSetName = KeysSet)] public string? Body { get; set; }
    [Parameter(ParameterSetName = KeysSet)] public DateTime? Before { get; set; }
    [Parameter(ParameterSetName = KeysSet)] public DateTime? Since { get; set; }
    [Parameter(ParameterSetName = KeysSet)] [ValidateRange(0, int.MaxValue)] public int? Larger { get; set; }
    [Parameter(ParameterSetName = KeysSet)] [ValidateRange(1, int.MaxValue)] public int? Smaller { get; set; }
#pragma warning restore SA1600

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

        var matches = new List<uint>();
        if (!Drain(uids, matches.Add, Folder) || matches.Count == 0)
        {
            return;
        }

        Drain(session.Client.Messages(Folder, new FetchOptions { Uids = matches }), m => WriteObject(m), Folder);
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
