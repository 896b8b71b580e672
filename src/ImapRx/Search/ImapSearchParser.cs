using System;
using System.Diagnostics.CodeAnalysis;

namespace ImapRx.Search;

/// <summary>
/// Turns an IMAP search string (RFC 3501 / RFC 9051 SEARCH keys, as the spec's <c>search</c> takes
/// them) into MailKit's typed <see cref="MailKit.Search.SearchQuery"/>, so that MailKit does all
/// quoting on the wire.
/// </summary>
/// <remarks>
/// <para>Keys are case-insensitive and combine by juxtaposition (implicit AND), with <c>OR a b</c>,
/// <c>NOT a</c> and parentheses: <c>FROM "a@example.com" (OR UNSEEN FLAGGED) NOT DELETED</c>.
/// Supported: ALL, ANSWERED, BCC, BEFORE, BODY, CC, DELETED, DRAFT, FLAGGED, FROM, HEADER,
/// KEYWORD, LARGER, NEW, NOT, OLD, ON, OR, RECENT, SEEN, SENTBEFORE, SENTON, SENTSINCE, SINCE,
/// SMALLER, SUBJECT, TEXT, TO, UID, UNANSWERED, UNDELETED, UNDRAFT, UNFLAGGED, UNKEYWORD, UNSEEN,
/// message sequence sets, MODSEQ (RFC 7162), YOUNGER and OLDER (RFC 5032), SAVEDBEFORE, SAVEDON,
/// SAVEDSINCE, SAVEDATESUPPORTED (RFC 8514), FUZZY (RFC 6203), and a leading <c>CHARSET UTF-8</c> or
/// <c>CHARSET US-ASCII</c>, which is ignored because MailKit picks the charset.</para>
/// <para>Strings are atoms or quoted strings with <c>\"</c> and <c>\\</c> escapes; non-ASCII text
/// is fine. Unquoted arguments are taken more liberally than RFC 3501 atoms (non-ASCII, <c>%</c>,
/// <c>*</c> are accepted) since MailKit re-quotes them anyway; quote anything containing spaces or
/// parentheses. Dates are RFC 3501 <c>d-MMM-yyyy</c>, checked against the calendar.</para>
/// <para>CR, LF and NUL are refused anywhere in the string, even inside quotes: no search string
/// can put a second command on the wire.</para>
/// <para>An empty or blank string is an error, not ALL. The spec's default criteria is ALL, and
/// the client's search overload without criteria means exactly that; but an empty string usually
/// comes from a variable that was never set, and silently matching every message (perhaps before
/// deleting what matched) would be the worst reading of it. Pass <c>"ALL"</c> to mean all.</para>
/// <para>Where MailKit's query model differs from IMAP: message sequence sets need
/// <see cref="ImapSearchCriteria.Resolve"/> (see there); <c>SUBJECT ""</c> and other empty
/// substrings are refused (use <c>HEADER Subject ""</c> or ALL); <c>MODSEQ</c> with a metadata
/// entry name is refused; a UID range written up to 4294967295 goes out as <c>n:*</c>; MailKit
/// simplifies the tree before sending (<c>NOT SEEN</c> becomes <c>UNSEEN</c>, <c>x ALL</c> becomes
/// <c>x</c>); YOUNGER, OLDER, SAVED*, and FUZZY fail with <see cref="NotSupportedException"/> when the
/// search runs on a server without WITHIN, SAVEDATE or SEARCH=FUZZY.</para>
/// <para>Parsing is a single pass over the string without regular expressions; the result
/// allocates only MailKit's query objects and the strings they hold.</para>
/// </remarks>
public static class ImapSearchParser
{
    /// <summary>Parses an IMAP search string.</summary>
    /// <param name="criteria">The search keys, for example <c>FROM "a@example.com" UNSEEN</c>.</param>
    /// <returns>The typed query, and any message sequence sets still to resolve.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="criteria"/> is null.</exception>
    /// <exception cref="ImapSearchSyntaxException">The string is malformed; the message says where and why.</exception>
    public static ImapSearchCriteria Parse(string criteria)
    {
        if (criteria is null)
        {
            throw new ArgumentNullException(nameof(criteria));
        }

        return SearchStringParser.Parse(criteria);
    }

    /// <summary>Parses an IMAP search string, returning false instead of throwing when it is malformed.</summary>
    /// <param name="criteria">The search keys; null gives false.</param>
    /// <param name="result">The parsed criteria when the method returns true.</param>
    /// <returns>Whether the string was well formed.</returns>
    /// <remarks>Use <see cref="Parse"/> to learn what is wrong; this is for validating input cheaply in UIs.</remarks>
    public static bool TryParse(string? criteria, [NotNullWhen(true)] out ImapSearchCriteria? result)
    {
        result = null;
        if (criteria is null)
        {
            return false;
        }

        try
        {
            result = SearchStringParser.Parse(criteria);
            return true;
        }
        catch (ImapSearchSyntaxException)
        {
            return false;
        }
    }
}
