using System;

namespace ImapRx.Search;

/// <summary>
/// An IMAP search string is malformed. The message says what was expected, where, and what was
/// found instead, for example
/// <c>Expected a date like 1-Jan-2026 after BEFORE at position 7, found '2026-01-01'.</c>
/// </summary>
/// <remarks>
/// The spec's <c>search</c> returned an empty list for bad criteria; ImapRx reports the mistake
/// instead, because an empty result is indistinguishable from "nothing matched".
/// Control characters of the offending text are shown escaped (<c>\r</c>, <c>\n</c>) in the
/// message, so the message itself cannot break a log line.
/// </remarks>
public sealed class ImapSearchSyntaxException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was expected, where, and what was found.</param>
    /// <param name="position">The 0-based character offset in the search string where the problem is.</param>
    /// <param name="token">The offending text; empty when the string (or a UID or sequence set) ended too early.</param>
    public ImapSearchSyntaxException(string message, int position, string token)
        : base(message)
    {
        Position = position;
        Token = token ?? string.Empty;
    }

    /// <summary>The 0-based character offset in the search string where the problem is.</summary>
    /// <value>The length of the string when it ended too early.</value>
    public int Position { get; }

    /// <summary>The offending text exactly as it appears in the search string.</summary>
    /// <value>
    /// An empty string when the search string, or a UID or sequence set within it, ended where more was expected.
    /// </value>
    public string Token { get; }
}
