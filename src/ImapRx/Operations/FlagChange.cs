using System;
using System.Collections.Generic;
using ImapRx.Model;

namespace ImapRx.Operations;

/// <summary>Flags and keywords to add to and remove from messages, in one STORE per set.</summary>
public sealed class FlagChange
{
    /// <summary>Creates a change; at least one part must be non-empty.</summary>
    public FlagChange(
        MailFlags add = MailFlags.None,
        MailFlags remove = MailFlags.None,
        IReadOnlyCollection<string>? addKeywords = null,
        IReadOnlyCollection<string>? removeKeywords = null)
    {
        const MailFlags known = MailFlags.Seen | MailFlags.Answered | MailFlags.Flagged | MailFlags.Deleted | MailFlags.Draft;
        if ((add & ~known) != 0 || (remove & ~known) != 0)
        {
            throw new ArgumentOutOfRangeException((add & ~known) != 0 ? nameof(add) : nameof(remove), "Only the system flags Seen, Answered, Flagged, Deleted and Draft can be changed.");
        }

        if ((add & remove) != MailFlags.None)
        {
            throw new ArgumentException($"The same flag cannot be added and removed at once: {add & remove}.", nameof(remove));
        }

        AddFlags = add;
        RemoveFlags = remove;
        AddKeywords = CheckKeywords(addKeywords, nameof(addKeywords));
        RemoveKeywords = CheckKeywords(removeKeywords, nameof(removeKeywords));
        if (add == MailFlags.None && remove == MailFlags.None && AddKeywords.Count == 0 && RemoveKeywords.Count == 0)
        {
            throw new ArgumentException("A flag change must add or remove at least one flag or keyword.", nameof(add));
        }
    }

    /// <summary>System flags to set.</summary>
    public MailFlags AddFlags { get; }

    /// <summary>System flags to clear.</summary>
    public MailFlags RemoveFlags { get; }

    /// <summary>Keywords to set.</summary>
    public IReadOnlyCollection<string> AddKeywords { get; }

    /// <summary>Keywords to clear.</summary>
    public IReadOnlyCollection<string> RemoveKeywords { get; }

    /// <summary>Mark read (the spec's mark_as_read).</summary>
    public static FlagChange MarkRead { get; } = new(add: MailFlags.Seen);

    /// <summary>Mark unread (the spec's mark_as_unread).</summary>
    public static FlagChange MarkUnread { get; } = new(remove: MailFlags.Seen);

    /// <summary>Add a star (the spec's add_star).</summary>
    public static FlagChange AddStar { get; } = new(add: MailFlags.Flagged);

    /// <summary>Remove the star (the spec's remove_star).</summary>
    public static FlagChange RemoveStar { get; } = new(remove: MailFlags.Flagged);

    /// <summary>Reads as the change does, e.g. <c>add \Seen, $Label1; remove \Flagged</c>.</summary>
    public override string ToString()
    {
        var add = Names(AddFlags, AddKeywords);
        var remove = Names(RemoveFlags, RemoveKeywords);
        return add.Count == 0 ? "remove " + string.Join(", ", remove)
            : remove.Count == 0 ? "add " + string.Join(", ", add)
            : $"add {string.Join(", ", add)}; remove {string.Join(", ", remove)}";
    }

    private static List<string> Names(MailFlags flags, IReadOnlyCollection<string> keywords)
    {
        var names = new List<string>();
        foreach (var flag in new[] { MailFlags.Seen, MailFlags.Answered, MailFlags.Flagged, MailFlags.Deleted, MailFlags.Draft })
        {
            if ((flags & flag) != 0)
            {
                names.Add("\\" + flag);
            }
        }

        names.AddRange(keywords);
        return names;
    }

    private static IReadOnlyCollection<string> CheckKeywords(IReadOnlyCollection<string>? keywords, string parameterName)
    {
        if (keywords is null)
        {
            return Array.Empty<string>();
        }

        foreach (var keyword in keywords)
        {
            if (string.IsNullOrEmpty(keyword) || keyword.StartsWith("\\", StringComparison.Ordinal))
            {
                throw new ArgumentException($"'{keyword}' is not a keyword (keywords are atoms like $Label1; system flags go in the flags argument).", parameterName);
            }

            foreach (var c in keyword)
            {
                if (c <= ' ' || c >= 0x7f || "(){%*\"\\]".IndexOf(c) >= 0)
                {
                    throw new ArgumentException($"The keyword '{keyword}' contains '{c}', which IMAP keywords cannot contain.", parameterName);
                }
            }
        }

        return keywords;
    }
}
