using System;
using System.Collections.Generic;
using System.Linq;
using ImapRx.Model;
using MailKit;

namespace ImapRx.Mailbox;

/// <summary>
/// A message's flags and keywords as a consumer was told them: the names in ordinal order, space-separated, so
/// equal keys mean equal flags, and the message's MODSEQ at that moment when the server has CONDSTORE. \Recent is
/// left out: it belongs to whichever session saw the message first, so it differs between connections without
/// anyone changing anything.
/// </summary>
internal readonly record struct FlagState(string Key, ulong? ModSeq)
{
    internal static FlagState From(MessageFlags flags, IEnumerable<string>? keywords, ulong? modSeq)
        => new(KeyOf(MessageMapper.FlagNames(flags & ~MessageFlags.Recent, keywords ?? Enumerable.Empty<string>())), modSeq);

    /// <summary>The flag state of a fetched summary; its MODSEQ only where it was asked for.</summary>
    internal static FlagState From(IMessageSummary summary)
        => From(summary.Flags ?? MessageFlags.None, summary.Keywords, summary.ModSeq);

    /// <summary>Names in any order (\Recent among them or not) as a key.</summary>
    internal static string KeyOf(IEnumerable<string> names)
        => string.Join(" ", names.Where(n => !n.Equals("\\Recent", StringComparison.OrdinalIgnoreCase)).Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.Ordinal));

    /// <summary>The flag names, as a <see cref="FlagsChanged"/> carries them.</summary>
    internal IReadOnlyCollection<string> Names => Key.Length == 0 ? Array.Empty<string>() : Key.Split(' ');

    /// <summary>Same flags and keywords, whatever the MODSEQ.</summary>
    internal bool SameFlags(FlagState other) => string.Equals(Key, other.Key, StringComparison.Ordinal);
}
