using System.Globalization;
using ImapRx.Sandbox.Server;

namespace ImapRx.Orleans.Tests.Infrastructure;

/// <summary>
/// Delivers a message the way an MDA does: write it into the INBOX's <c>tmp/</c>, then rename it into <c>new/</c>.
/// No IMAP session and no doveadm run, so the appender adds no connection to the server-side counts and costs
/// milliseconds; Dovecot finds the file on its next look at the folder.
/// </summary>
internal static class MaildirDelivery
{
    private static long s_sequence;

    public static void DeliverToInbox(SandboxUser user, CorpusMessage message)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.M{Interlocked.Increment(ref s_sequence)}P{Environment.ProcessId}.imaprx-test,S={message.Size}");
        var temporary = Path.Combine(user.MaildirPath, "tmp", name);
        File.WriteAllBytes(temporary, message.Content.ToArray());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        File.Move(temporary, Path.Combine(user.MaildirPath, "new", name));
    }
}
