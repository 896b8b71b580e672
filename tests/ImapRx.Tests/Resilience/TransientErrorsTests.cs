using System.Net.Sockets;
using ImapRx.Resilience;
using MailKit.Net.Imap;
using MailKit.Security;

namespace ImapRx.Tests.Resilience;

public sealed class TransientErrorsTests
{
    public static TheoryData<Exception, bool> Cases => new()
    {
        { new SocketException((int)SocketError.ConnectionRefused), true },
        { new IOException("Connection reset by peer"), true },
        { new TimeoutException(), true },
        { new ImapProtocolException("unexpected token"), true },
        { new AggregateException(new IOException("reset")), true },
        { new InvalidOperationException("wrapper", new SocketException((int)SocketError.TimedOut)), true },
        { new AuthenticationException("bad password"), false },
        { new ImapCommandException(ImapCommandResponse.No, "SELECT", "no such folder"), false },
        { new ArgumentException("bad"), false },
        { new OperationCanceledException(), false },
        { new ImapFolderNotFoundException("Missing"), false },
        // IOExceptions that are about files and assemblies, not the network: retrying cannot help. A module
        // whose MimeKit clashed with another's used to be "retried" 4 times before the real error surfaced.
        { new FileLoadException("Could not load file or assembly 'MimeKit'"), false },
        { new FileNotFoundException("missing.dll"), false },
        { new DirectoryNotFoundException("no such dir"), false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void IsTransient_EachKindOfFailure_IsClassifiedOnce(Exception exception, bool transient)
        => Assert.Equal(transient, TransientErrors.IsTransient(exception));
}
