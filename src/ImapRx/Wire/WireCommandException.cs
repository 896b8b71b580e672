using System;

namespace ImapRx.Wire;

/// <summary>The server answered a bulk-session command with NO or BAD; the connection itself is fine.</summary>
internal sealed class WireCommandException : Exception
{
    internal WireCommandException(string command, string response)
        : base($"The server refused {command}: {response}")
    {
        Command = command;
    }

    internal string Command { get; }
}
