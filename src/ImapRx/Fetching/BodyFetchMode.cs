namespace ImapRx.Fetching;

/// <summary>Which bodies a fetch brings along with the summaries.</summary>
public enum BodyFetchMode
{
    /// <summary>Summaries only (UID, flags, envelope, size, dates, structure). The default.</summary>
    None,

    /// <summary>Also the plain-text and HTML parts (BODY.PEEK of just those parts; attachments stay on the server).</summary>
    TextAndHtml,
}
