using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace ImapRx.PowerShell.Infrastructure;

/// <summary>
/// Base for cmdlets that act on messages piped in one by one: UIDs are collected per folder and acted on
/// in one command per folder at the end (one STORE/COPY/EXPUNGE per set, not per message).
/// </summary>
public abstract class UidBatchCmdlet : ImapCmdlet
{
    // Per folder, in the order first seen and without repeats (Save-ImapAttachment writes one object per file).
    private readonly Dictionary<string, List<uint>> _byFolder = new();
    private readonly HashSet<(string, uint)> _seen = new();

    /// <summary>The folder the messages are in; binds from a message's Folder in the pipeline.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(Completers.FolderNameCompleter))]
    public string Folder { get; set; } = string.Empty;

    /// <summary>The messages' UIDs in -Folder; binds from a message's Uid in the pipeline.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, uint.MaxValue)]
    public uint[] Uid { get; set; } = System.Array.Empty<uint>();

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        if (!_byFolder.TryGetValue(Folder, out var uids))
        {
            _byFolder[Folder] = uids = new List<uint>();
        }

        uids.AddRange(Uid.Where(uid => _seen.Add((Folder, uid))));
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        var session = ResolveSession();
        foreach (var pair in _byFolder)
        {
            Act(session, pair.Key, pair.Value);
        }
    }

    /// <summary>Does the work for one folder's UIDs (call ShouldProcess inside).</summary>
    protected abstract void Act(ImapSession session, string folder, IReadOnlyCollection<uint> uids);

    /// <summary>Writes one object per message of a copy or move, in the order the UIDs were given.</summary>
    protected void WriteTransfers(string operation, string folder, IReadOnlyCollection<uint> uids, string destination, IReadOnlyDictionary<uint, uint> map)
    {
        var missing = 0;
        foreach (var uid in uids)
        {
            uint? target = map.TryGetValue(uid, out var newUid) ? newUid : null;
            missing += target is null ? 1 : 0;
            WriteObject(new ImapMessageTransfer(operation, folder, uid, destination, target));
        }

        WriteVerbose($"{operation}: {uids.Count} message(s) from '{folder}' to '{destination}'.");
        if (missing > 0)
        {
            WriteWarning($"The server did not report the new UIDs of {missing} message(s) in '{destination}' (no UIDPLUS); their Uid is empty.");
        }
    }

    /// <summary>A short target text for ShouldProcess.</summary>
    protected static string Describe(string folder, IReadOnlyCollection<uint> uids)
        => $"{uids.Count} message(s) in '{folder}' (UID {string.Join(",", uids)})";
}
