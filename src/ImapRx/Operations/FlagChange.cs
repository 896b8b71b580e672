using System;
using System.Collections.Generic;
using MailKit;

namespace ImapRx.Operations;

/// <summary>Flags and keywords to add to and remove from messages, in one STORE per set.</summary>
public sealed class FlagChange
{
    /// <summary>Creates a change; at least one part must be non-empty.</summary>
    public FlagChange(
        MessageFlags add = MessageFlags.None,
        MessageFlags remove = MessageFlags.None,
        IReadOnlyCollection<string>? addKeywords = null,
        IReadOnlyCollection<string>? removeKeywords = null)
    {
        if ((add & remove) != MessageFlags.None)
        {
            throw new ArgumentException($"The same flag cannot be added and removed at once: {add & remove}.", nameof(remove));
        }

        AddFlags = add;
        RemoveFlags = remove;
        AddKeywords = CheckKeywords(addKeywords, nameof(addKeywords));
        RemoveKeywords = CheckKeywords(removeKeywords, nameof(removeKeywords));
        if (add == MessageFlags.None && remove == MessageFlags.None && AddKeywords.Count == 0 && RemoveKeywords.Count == 0)
        {
            throw new ArgumentException("A flag change must add or remove at least one flag or keyword.", nameof(add));
        }
    }

    /// <summary>System flags to set.</summary>
    public MessageFlags AddFlags { get; }

    /// <summary>System flags to clear.</summary>
    public MessageFlags RemoveFlags { get; }

    /// <summary>Keywords to set.</summary>
    public IReadOnlyCollection<string> AddKeywords { get; }

    /// <summary>Keywords to clear.</summary>
    public IReadOnlyCollection<string> RemoveKeywords { get; }

    /// <summary>Mark read (the spec's mark_as_read).</summary>
    public static FlagChange MarkRead { get; } = new(add: MessageFlags.Seen);

    /// <summary>Mark unread (the spec's mark_as_unread).</summary>
    public static FlagChange MarkUnread { get; } = new(remove: MessageFlags.Seen);

    /// <summary>Add a star (the spec's add_star).</summary>
    public static FlagChange AddStar { get; } = new(add: MessageFlags.Flagged);

    /// <summary>Remove the star (the spec's remove_star).</summary>
    public static FlagChange RemoveStar { get; } = new(remove: MessageFlags.Flagged);

    /// <inheritdoc/>
    public override string ToString() => $"+{AddFlags} +[{string.Join(" ", AddKeywords)}] -{RemoveFlags} -[{string.Join(" ", RemoveKeywords)}]";

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
