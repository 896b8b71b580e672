using System;

namespace ImapRx.AsyncStreams;

/// <summary>
/// Ends a fetch whose <c>await foreach</c> consumer left (broke out, or disposed the enumerator) while the fetch was
/// waiting for it. Never reaches the user: the enumeration is already over when it is thrown.
/// </summary>
internal sealed class ConsumerLeftException : Exception
{
    internal ConsumerLeftException()
        : base("The consumer of the async stream stopped reading.")
    {
    }
}
