namespace ImapRx.Sandbox.Server;

/// <summary>How a corpus message deliberately breaks the rules, so parsers meet real-world damage.</summary>
public enum CorpusMalformation
{
    /// <summary>A well-formed message.</summary>
    None = 0,

    /// <summary>A multipart whose declared boundary never occurs; parsers see no parts, hence no bodies and no attachments.</summary>
    BrokenBoundary,

    /// <summary>Non-ASCII headers written as raw UTF-8 instead of RFC 2047 encoded words.</summary>
    RawEightBitHeader,

    /// <summary>No <c>Date</c> header at all.</summary>
    MissingDate,
}
