using System.IO;

namespace ImapRx.Wire;

/// <summary>
/// The byte stream itself is broken (no response framing, a literal longer than allowed, the connection closed):
/// the bulk connection is thrown away. An <see cref="IOException"/>, so the resilience pipeline treats it like
/// any other broken connection and resumes after the last UID delivered.
/// </summary>
internal sealed class WireProtocolException : IOException
{
    internal WireProtocolException(string message)
        : base(message)
    {
    }
}
