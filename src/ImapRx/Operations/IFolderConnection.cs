using System;
using System.Threading;
using System.Threading.Tasks;
using MailKit;

namespace ImapRx.Operations;

/// <summary>
/// The open folder a summary read works on, and a way to have it open again on another connection: MailKit
/// disconnects its client when its parser refuses an answer, and the read must go on to the other messages.
/// </summary>
internal interface IFolderConnection
{
    /// <summary>The folder, open read-only, on the connection in use now.</summary>
    IMailFolder Folder { get; }

    /// <summary>
    /// Throws the current connection away after <paramref name="failure"/> and opens the folder on a fresh one
    /// (checking that its UIDVALIDITY did not change); <see cref="Folder"/> is then the new one.
    /// </summary>
    Task ReplaceAsync(Exception failure, CancellationToken cancellationToken);
}
