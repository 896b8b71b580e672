using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text;
using MailKit;

namespace ImapRx.Sandbox.Server;

/// <summary>
/// Puts messages straight into a user's Maildir folder, far faster than APPEND, then has Dovecot index the
/// folder so the first SELECT is fast. Files are written to <c>tmp/</c> and renamed into <c>cur/</c> (the
/// Maildir delivery protocol, so a running Dovecot never sees half a file), carry their flags in the name
/// (<c>:2,FS</c>), their INTERNALDATE as mtime, and belong to the mail owner (nobody).
/// </summary>
public sealed class MaildirWriter
{
    // Dovecot sorts newly found files by the number that starts their name (a time stamp, usually) before
    // assigning UIDs; a counter there gives UIDs in enumeration order even though files are written in parallel.
    private const long MaxMessagesPerCall = 100_000_000;
    private static long s_sequence = 1_000_000_000;

    private readonly DovecotServer _server;

    public MaildirWriter(DovecotServer server)
    {
        _server = server ?? throw new ArgumentNullException(nameof(server));
    }

    /// <summary>Writes <paramref name="messages"/> (enumerated once, lazily) into <paramref name="folder"/> and indexes it.</summary>
    /// <param name="user">The owner of the mailbox.</param>
    /// <param name="folder">An existing folder, e.g. <see cref="SandboxFolders.Inbox"/> or <c>Projects/2026/Q1</c>.</param>
    /// <param name="messages">The messages; UIDs follow this order.</param>
    /// <param name="cancellationToken">Stops writing between messages; files already written stay.</param>
    public async Task<MaildirWriteResult> WriteAsync(
        SandboxUser user, string folder, IEnumerable<CorpusMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(messages);

        var directory = await GetFolderDirectoryAsync(user, folder, cancellationToken).ConfigureAwait(false);
        var owner = MailOwner.Nobody;

        var writeClock = Stopwatch.StartNew();
        var first = Interlocked.Add(ref s_sequence, MaxMessagesPerCall) - MaxMessagesPerCall;
        var count = 0;
        long bytes = 0;
        var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount };
        try
        {
            // File I/O on all cores, off the caller's thread.
            await Task.Run(
                () => Parallel.ForEach(messages, parallel, (message, _, index) =>
                {
                    WriteOne(directory, first, index, message, owner);
                    Interlocked.Increment(ref count);
                    Interlocked.Add(ref bytes, message.Size);
                }),
                cancellationToken).ConfigureAwait(false);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count == 1)
        {
            ExceptionDispatchInfo.Throw(ex.InnerExceptions[0]);
        }

        writeClock.Stop();
        var indexClock = Stopwatch.StartNew();
        await _server.RunDoveadmAsync(new[] { "index", "-u", user.Name, folder }, cancellationToken).ConfigureAwait(false);
        indexClock.Stop();
        return new MaildirWriteResult(folder, directory, count, bytes, writeClock.Elapsed, indexClock.Elapsed);
    }

    /// <summary>Gets the Maildir flag letters for IMAP flags, in the ASCII order Maildir requires.</summary>
    public static string FlagLetters(MessageFlags flags)
    {
        var sb = new StringBuilder(5);
        if ((flags & MessageFlags.Draft) != 0) sb.Append('D');
        if ((flags & MessageFlags.Flagged) != 0) sb.Append('F');
        if ((flags & MessageFlags.Answered) != 0) sb.Append('R');
        if ((flags & MessageFlags.Seen) != 0) sb.Append('S');
        if ((flags & MessageFlags.Deleted) != 0) sb.Append('T');
        return sb.ToString();
    }

    private static void WriteOne(string directory, long first, long index, CorpusMessage message, MailOwner owner)
    {
        if (index >= MaxMessagesPerCall)
        {
            throw new ArgumentException($"At most {MaxMessagesPerCall} messages per call.", "messages");
        }

        var baseName = string.Create(CultureInfo.InvariantCulture, $"{first + index}.M{index}P{Environment.ProcessId}.imaprx,S={message.Size}");
        var tmpPath = Path.Combine(directory, "tmp", baseName);
        using (var file = new FileStream(tmpPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            file.Write(message.Content.Span);
            File.SetLastWriteTimeUtc(file.SafeFileHandle, message.InternalDate.UtcDateTime);
        }

        NativeMethods.ChownOrThrow(tmpPath, owner.Uid, owner.Gid);
        File.Move(tmpPath, Path.Combine(directory, "cur", baseName + ":2," + FlagLetters(message.Flags)));
    }

    private async Task<string> GetFolderDirectoryAsync(SandboxUser user, string folder, CancellationToken cancellationToken)
    {
        var output = await _server.RunDoveadmAsync(new[] { "mailbox", "path", "-u", user.Name, folder }, cancellationToken)
            .ConfigureAwait(false);
        var directory = output.Trim();
        if (!Directory.Exists(Path.Combine(directory, "cur")) || !Directory.Exists(Path.Combine(directory, "tmp")))
        {
            throw new ArgumentException($"The folder '{folder}' of {user} does not exist (no Maildir at {directory}).", nameof(folder));
        }

        return directory;
    }
}
