using System;

namespace ImapRx.Search;

/// <summary>The search keys the parser understands (RFC 3501, RFC 9051 and a few extensions).</summary>
internal enum SearchKey : byte
{
    All,
    Answered,
    Bcc,
    Before,
    Body,
    Cc,
    Charset,
    Deleted,
    Draft,
    Flagged,
    From,
    Fuzzy,
    Header,
    Keyword,
    Larger,
    ModSeq,
    New,
    Not,
    Old,
    Older,
    On,
    Or,
    Recent,
    SaveDateSupported,
    SavedBefore,
    SavedOn,
    SavedSince,
    Seen,
    SentBefore,
    SentOn,
    SentSince,
    Since,
    Smaller,
    Subject,
    Text,
    To,
    Uid,
    Unanswered,
    Undeleted,
    Undraft,
    Unflagged,
    Unkeyword,
    Unseen,
    Younger,
}

/// <summary>Case-insensitive lookup of key names, and "did you mean" suggestions for typos.</summary>
internal static class SearchKeys
{
    // Indexed by SearchKey; keep in the enum's order.
    private static readonly string[] Names =
    {
        "ALL", "ANSWERED", "BCC", "BEFORE", "BODY", "CC", "CHARSET", "DELETED", "DRAFT", "FLAGGED", "FROM",
        "FUZZY", "HEADER", "KEYWORD", "LARGER", "MODSEQ", "NEW", "NOT", "OLD", "OLDER", "ON", "OR", "RECENT",
        "SAVEDATESUPPORTED", "SAVEDBEFORE", "SAVEDON", "SAVEDSINCE", "SEEN", "SENTBEFORE", "SENTON", "SENTSINCE",
        "SINCE", "SMALLER", "SUBJECT", "TEXT", "TO", "UID", "UNANSWERED", "UNDELETED", "UNDRAFT", "UNFLAGGED",
        "UNKEYWORD", "UNSEEN", "YOUNGER",
    };

    // Words people reach for that IMAP spells differently; checked before the edit-distance guess.
    private static readonly string[][] Aliases =
    {
        new[] { "UNREAD", "UNSEEN" },
        new[] { "READ", "SEEN" },
        new[] { "STARRED", "FLAGGED" },
        new[] { "UNSTARRED", "UNFLAGGED" },
        new[] { "AFTER", "SINCE" },
        new[] { "CONTAINS", "TEXT" },
        new[] { "REPLIED", "ANSWERED" },
        new[] { "SENDER", "FROM" },
    };

    public static string NameOf(SearchKey key) => Names[(int)key];

    public static bool TryLookup(string text, int start, int length, out SearchKey key)
    {
        for (var i = 0; i < Names.Length; i++)
        {
            var name = Names[i];
            if (name.Length == length && string.Compare(text, start, name, 0, length, StringComparison.OrdinalIgnoreCase) == 0)
            {
                key = (SearchKey)i;
                return true;
            }
        }

        key = default;
        return false;
    }

    /// <summary>A sentence to append to an "unknown key" message, or null when nothing is close.</summary>
    public static string? Suggest(string word)
    {
        // No key is longer than 17 characters; anything much longer is not a typo of one.
        if (word.Length > 24)
        {
            return null;
        }

        var upper = word.ToUpperInvariant();
        if (upper == "AND")
        {
            return "IMAP has no AND: write the keys one after another, as in FROM \"a@example.com\" UNSEEN.";
        }

        foreach (var alias in Aliases)
        {
            if (alias[0] == upper)
            {
                return $"Did you mean {alias[1]}?";
            }
        }

        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var name in Names)
        {
            var distance = Distance(upper, name, bestDistance);
            if (distance < bestDistance)
            {
                best = name;
                bestDistance = distance;
            }
        }

        // One edit for short words, two for longer ones: close enough to be a typo, not a different word.
        var allowed = upper.Length <= 4 ? 1 : 2;
        return best is not null && bestDistance <= allowed ? $"Did you mean {best}?" : null;
    }

    /// <summary>Optimal string alignment distance (edits, with adjacent swaps counting once), capped at <paramref name="limit"/>.</summary>
    private static int Distance(string a, string b, int limit)
    {
        if (Math.Abs(a.Length - b.Length) >= limit)
        {
            return limit;
        }

        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    value = Math.Min(value, d[i - 2, j - 2] + 1);
                }

                d[i, j] = value;
            }
        }

        return d[a.Length, b.Length];
    }
}
