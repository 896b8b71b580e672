using System;
using System.Collections.Generic;
using MailKit;

namespace ImapRx.Wire;

/// <summary>What one <c>* n FETCH (...)</c> said about a message, read by <see cref="WireFetchParser"/>.</summary>
internal sealed class WireSummary
{
    internal uint SequenceNumber { get; set; }

    internal uint Uid { get; set; }

    internal MessageFlags? Flags { get; set; }

    /// <summary>Keywords in the order the server sent them, each once (MailKit keeps them in an ordinal set).</summary>
    internal List<string> Keywords => _keywords ??= new List<string>(1);

    /// <summary>The keywords, or none, without making a list for a message that has none.</summary>
    internal IReadOnlyList<string> KeywordsOrNone => (IReadOnlyList<string>?)_keywords ?? Array.Empty<string>();

    private List<string>? _keywords;

    internal DateTimeOffset? InternalDate { get; set; }

    internal bool HasInternalDate { get; set; }

    internal uint? Size { get; set; }

    internal WireEnvelope? Envelope { get; set; }

    internal int? AttachmentCount { get; set; }

    internal ulong? ModSeq { get; set; }

    /// <summary>The bytes of <c>BODY[]</c>, copied out of the response (whole-message fetches); null otherwise.</summary>
    internal byte[]? RawMessage { get; set; }
}
