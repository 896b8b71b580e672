using System;
using ImapRx.Configuration;

namespace ImapRx;

/// <summary>
/// The public face of ImapRx for one account. Observable members are cold unless documented hot:
/// each subscription leases a connection, does the work, and disposing it cancels the work.
/// Program against this interface so your own pipelines can be tested with a fake in virtual time.
/// </summary>
public interface IImapRxClient : IAsyncDisposable
{
    /// <summary>The account this client talks to.</summary>
    ImapAccountOptions Account { get; }
}
