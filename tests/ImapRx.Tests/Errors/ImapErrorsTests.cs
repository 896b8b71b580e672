using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;

namespace ImapRx.Tests.Errors;

/// <summary>The one table of the error taxonomy: what each failure becomes, whether it is retried, and whether its connection survives.</summary>
public sealed class ImapErrorsTests
{
    public static TheoryData<Exception, Type, bool, bool> Translations => new()
    {
        // failure, what it becomes, retried?, breaks the connection?
        { new SocketException((int)SocketError.ConnectionRefused), typeof(ImapConnectionException), true, true },
        { new IOException("Connection reset by peer"), typeof(ImapConnectionException), true, true },
        { new TimeoutException(), typeof(ImapConnectionException), true, true },
        { new ImapProtocolException("unexpected token"), typeof(ImapConnectionException), true, true },
        // MailKit's end of stream is a dropped connection; its parser refusing a complete answer is not (issue 19).
        { new ImapProtocolException("The IMAP server has unexpectedly disconnected."), typeof(ImapConnectionException), true, true },
        { new ImapProtocolException("Literal token length (7167 bytes) exceeds the maximum allowed size (4096 bytes)."), typeof(ImapResponseUnreadableException), false, true },
        { new ImapProtocolException("Syntax error in ENVELOPE. Unexpected token: Atom: x"), typeof(ImapResponseUnreadableException), false, true },
        { new ImapProtocolException("Syntax error in IMAP server greeting. Unexpected token: Atom: HTTP/1.1"), typeof(ImapConnectionException), true, true },
        { new ImapProtocolException("Literal token length (7167 bytes) exceeds the maximum allowed size (4096 bytes).", new IOException("reset")), typeof(ImapConnectionException), true, true },
        { new ImapResponseUnreadableException("unreadable"), typeof(ImapResponseUnreadableException), false, true },
        { new ServiceNotConnectedException(), typeof(ImapConnectionException), true, true },
        { new AggregateException(new IOException("reset")), typeof(ImapConnectionException), true, true },
        { new InvalidOperationException("wrapper", new SocketException((int)SocketError.TimedOut)), typeof(ImapConnectionException), true, true },
        { new AuthenticationException("bad password"), typeof(ImapAuthenticationException), false, true },
        { new SslHandshakeException("untrusted"), typeof(ImapCertificateException), false, true },
        { new ImapCommandException(ImapCommandResponse.No, "[OVERQUOTA] quota exceeded"), typeof(ImapCommandFailedException), false, false },
        { new ImapCommandException(ImapCommandResponse.Bad, "unknown command"), typeof(ImapCommandFailedException), false, false },
        { new FolderNotFoundException("Missing"), typeof(ImapFolderNotFoundException), false, false },
        { new MessageNotFoundException("gone"), typeof(ImapMessageNotFoundException), false, false },
        { new ImapFolderNotFoundException("Missing"), typeof(ImapFolderNotFoundException), false, false },
        { new ImapMessageNotFoundException("INBOX", 7), typeof(ImapMessageNotFoundException), false, false },
        { new ImapUidValidityChangedException("INBOX", 1, 2), typeof(ImapUidValidityChangedException), false, false },
        { new ImapMessageMalformedException("INBOX", 7, new FormatException("End of stream.")), typeof(ImapMessageMalformedException), false, false },
        { new ImapLeaseTimeoutException("h:1:u", TimeSpan.FromSeconds(1), 1), typeof(ImapLeaseTimeoutException), false, false },
        { new ImapConnectException("h", 1, 4, new ImapConnectionException("refused")), typeof(ImapConnectException), false, true },
        { new ArgumentException("bad"), typeof(ArgumentException), false, false },
        { new NotSupportedException("no UIDPLUS"), typeof(NotSupportedException), false, false },
        { new OperationCanceledException(), typeof(OperationCanceledException), false, true },
        // IOExceptions that are about files and assemblies, not the network: retrying cannot help. A module
        // whose MimeKit clashed with another's used to be "retried" 4 times before the real error surfaced.
        { new FileLoadException("Could not load file or assembly 'MimeKit'"), typeof(FileLoadException), false, true },
        { new FileNotFoundException("missing.dll"), typeof(FileNotFoundException), false, true },
        { new DirectoryNotFoundException("no such dir"), typeof(DirectoryNotFoundException), false, true },
    };

    [Theory]
    [MemberData(nameof(Translations))]
    public void Translate_EachKindOfFailure_IsClassifiedOnce(Exception failure, Type expected, bool transient, bool breaks)
    {
        var translated = ImapErrors.Translate(failure, "a test");

        Assert.IsType(expected, translated);
        Assert.Equal(transient, ImapErrors.IsTransient(failure));
        Assert.Equal(breaks, ImapErrors.BreaksConnection(failure));
        if (translated is ImapRxException known)
        {
            Assert.Equal(transient, known.IsTransient);
            Assert.Equal(breaks, known.BreaksConnection);
            Assert.True(ReferenceEquals(known, failure) || ReferenceEquals(known.InnerException, failure) || known.InnerException == failure.InnerException,
                "the original failure is kept as the inner exception");
        }
    }

    [Fact]
    public void LeaseTimeout_IsNotATimeoutException_SoNoRetryOperatorMistakesItForOne()
    {
        // It used to derive from TimeoutException, which every retry path counted as transient.
        Exception error = new ImapLeaseTimeoutException("h:1:u", TimeSpan.FromSeconds(1), 1);

        Assert.False(error is TimeoutException);
        Assert.False(ImapErrors.IsTransient(error));
        Assert.False(new ImapRx.Resilience.RetryPolicy().ShouldRetry(error));
    }

    [Theory]
    [InlineData(typeof(ImapMessageNotFoundException))]
    [InlineData(typeof(ImapUidValidityChangedException))]
    [InlineData(typeof(ImapFolderNotFoundException))]
    public void BreaksConnection_ServerAnsweredNotFoundOrValidityChange_KeepsTheConnection(Type type)
    {
        Exception error = type == typeof(ImapMessageNotFoundException) ? new ImapMessageNotFoundException("INBOX", 9)
            : type == typeof(ImapUidValidityChangedException) ? new ImapUidValidityChangedException("INBOX", 1, 2)
            : new ImapFolderNotFoundException("Nope");

        Assert.False(ImapErrors.BreaksConnection(error));
    }

    [Fact]
    public async Task Translate_FailureOfTheCallersOwnCode_PassedOnUnchangedAndKeepsTheConnection()
    {
        // A checkpoint store's disk error is an IOException like a dropped socket's; it must not be mistaken for one.
        var disk = new IOException("disk full");
        var wrapped = await Assert.ThrowsAnyAsync<Exception>(() => NotAConnectionFailure.Run(() => Task.FromException(disk)));

        Assert.Same(disk, ImapErrors.Translate(wrapped));
        Assert.False(ImapErrors.BreaksConnection(wrapped));
    }

    [Fact]
    public void IsRecoverableForWatch_ConnectRetriesSpentOnATransientFailure_KeepsTheWatchGoing()
    {
        Assert.True(ImapErrors.IsRecoverableForWatch(new ImapConnectException("h", 1, 4, new ImapConnectionException("refused"))));
        Assert.False(ImapErrors.IsRecoverableForWatch(new ImapConnectException("h", 1, 1, new ImapAuthenticationException("no", serverAnswered: true))));
        Assert.False(ImapErrors.IsRecoverableForWatch(new ImapAuthenticationException("no", serverAnswered: false)));
    }
}
