using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Reactive.Linq;
using ImapRx.Fetching;
using ImapRx.Model;
using ImapRx.PowerShell.Infrastructure;
using ImapRx.Search;
using System.Globalization;

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
        var criteria = ParameterSetName == QuerySet ? Query : BuildCriteria();
        FetchOptions options;
        try
        {
            // One lease, one SELECT: the search and the fetch of what it found run on the same connection.
            options = new FetchOptions { Where = criteria };
        }
        catch (Exception ex) when (ex is ImapSearchSyntaxException or ArgumentException)
        {
            WriteError(ErrorIds.ToErrorRecord(ex, criteria));
            return;
        }

        WriteVerbose($"Searching '{Folder}' for {(ParameterSetName == QuerySet ? Query : DescribeKeys())} ({criteria}) and fetching the summaries of the matches.");
        var found = 0;
        if (Drain(session.Client.Messages(Folder, options), m =>
            {
                found++;
                WriteObject(m);
            }, Folder))
        {
            WriteVerbose($"{found} message(s) in '{Folder}' matched.");
        }
    }

    private string DescribeKeys()
    {
        var keys = MyInvocation.BoundParameters.Keys.Where(k => k is not nameof(Folder) and not nameof(Session) && !CommonParameters.Contains(k) && !OptionalCommonParameters.Contains(k))
            .Select(k => MyInvocation.BoundParameters[k] is SwitchParameter ? "-" + k : $"-{k} {MyInvocation.BoundParameters[k]}")
            .ToList();
        return keys.Count == 0 ? "every message" : string.Join(" ", keys);
    }

    /// <summary>The keys as an IMAP search string (ImapRx parses and checks it like any other).</summary>
    private string BuildCriteria()
    {
        var parts = new List<string>();
        if (Unseen) parts.Add("UNSEEN");
        if (Seen) parts.Add("SEEN");
        if (Flagged) parts.Add("FLAGGED");
        if (Unflagged) parts.Add("UNFLAGGED");
        if (Answered) parts.Add("ANSWERED");
        if (Deleted) parts.Add("DELETED");
        if (!string.IsNullOrEmpty(From)) parts.Add("FROM " + Quote(From!));
        if (!string.IsNullOrEmpty(To)) parts.Add("TO " + Quote(To!));
        if (!string.IsNullOrEmpty(Subject)) parts.Add("SUBJECT " + Quote(Subject!));
        if (!string.IsNullOrEmpty(Body)) parts.Add("BODY " + Quote(Body!));
        if (Before is { } before) parts.Add("BEFORE " + before.ToString("d-MMM-yyyy", CultureInfo.InvariantCulture));
        if (Since is { } since) parts.Add("SINCE " + since.ToString("d-MMM-yyyy", CultureInfo.InvariantCulture));
        if (Larger is { } larger) parts.Add("LARGER " + larger.ToString(CultureInfo.InvariantCulture));
        if (Smaller is { } smaller) parts.Add("SMALLER " + smaller.ToString(CultureInfo.InvariantCulture));
        return parts.Count == 0 ? "ALL" : string.Join(" ", parts);
    }

    // A quoted string with \ and \" escaped; CR, LF and NUL stay in, so the parser refuses them by name.
    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
