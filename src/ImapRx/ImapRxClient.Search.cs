using System;
using ImapRx.Operations;
using ImapRx.Search;
using MailKit.Search;

namespace ImapRx;

public sealed partial class ImapRxClient
{
    /// <summary>
    /// Runs a typed search and emits the matching UIDs in ascending order (ESEARCH where offered). Cold;
    /// retried after a transient failure.
    /// </summary>
    public IObservable<uint> Search(string folder, SearchQuery query)
    {
        CheckFolderName(folder);
        if (query is null)
        {
            throw new ArgumentNullException(nameof(query));
        }

        ThrowIfDisposed();
        return SearchMessages.Run(Context, folder, query);
    }

    /// <summary>
    /// Parses an IMAP search string (the spec's <c>search(config, folder, criteria)</c>, e.g.
    /// <c>FROM "ann@example.com" UNSEEN</c>) and runs it. A malformed string throws
    /// <see cref="ImapSearchSyntaxException"/> here, at call time, saying where it went wrong. Cold; retried
    /// after a transient failure.
    /// </summary>
    public IObservable<uint> Search(string folder, string criteria)
    {
        CheckFolderName(folder);
        var parsed = ImapSearchParser.Parse(criteria ?? throw new ArgumentNullException(nameof(criteria)));
        ThrowIfDisposed();
        return SearchMessages.Run(Context, folder, parsed);
    }
}
