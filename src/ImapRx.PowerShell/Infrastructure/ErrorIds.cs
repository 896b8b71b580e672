using System;
using System.IO;
using System.Management.Automation;
using System.Net.Sockets;
using ImapRx.Search;
using MailKit.Net.Imap;
using MailKit.Security;

namespace ImapRx.PowerShell.Infrastructure;

/// <summary>The module's stable error ids, and the one place exceptions become ErrorRecords.</summary>
internal static class ErrorIds
{
    internal const string AuthenticationFailed = "ImapAuthenticationFailed";
    internal const string FolderNotFound = "ImapFolderNotFound";
    internal const string InvalidSearchQuery = "ImapInvalidSearchQuery";
    internal const string ConnectionLost = "ImapConnectionLost";
    internal const string CertificateRejected = "ImapCertificateRejected";
    internal const string NoSession = "ImapNoSession";
    internal const string MessageNotFound = "ImapMessageNotFound";
    internal const string InvalidArgument = "ImapInvalidArgument";
    internal const string OperationFailed = "ImapOperationFailed";
    internal const string ConnectionFailed = "ImapConnectionFailed";
    internal const string FileExists = "ImapFileExists";

    internal static ErrorRecord ToErrorRecord(Exception exception, object? target)
    {
        var (id, category) = exception switch
        {
            SslHandshakeException => (CertificateRejected, ErrorCategory.SecurityError),
            AuthenticationException => (AuthenticationFailed, ErrorCategory.AuthenticationError),
            ImapFolderNotFoundException => (FolderNotFound, ErrorCategory.ObjectNotFound),
            ImapMessageNotFoundException => (MessageNotFound, ErrorCategory.ObjectNotFound),
            ImapSearchSyntaxException => (InvalidSearchQuery, ErrorCategory.InvalidArgument),
            ArgumentException => (InvalidArgument, ErrorCategory.InvalidArgument),
            ImapRx.Pooling.ImapConnectException or MailKit.ServiceNotConnectedException or IOException or SocketException or ImapProtocolException or TimeoutException
                => (ConnectionLost, ErrorCategory.ConnectionError),
            _ => (OperationFailed, ErrorCategory.NotSpecified),
        };
        return new ErrorRecord(exception, id, category, target);
    }
}
