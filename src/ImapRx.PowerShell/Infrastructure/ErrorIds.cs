using System;
using System.Management.Automation;
using ImapRx.Search;

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
    internal const string MessageMalformed = "ImapMessageMalformed";

    /// <summary>
    /// The error id and category of a failure: ImapRx's own failures by their <see cref="ImapErrorKind"/> (decided in
    /// the library, once), argument and search-syntax errors by type. No MailKit type is looked at here.
    /// </summary>
    internal static ErrorRecord ToErrorRecord(Exception exception, object? target)
    {
        var (id, category) = exception switch
        {
            ImapRxException failure => ForKind(failure.Kind),
            ImapSearchSyntaxException => (InvalidSearchQuery, ErrorCategory.InvalidArgument),
            ArgumentException => (InvalidArgument, ErrorCategory.InvalidArgument),
            _ => (OperationFailed, ErrorCategory.NotSpecified),
        };
        return new ErrorRecord(exception, id, category, target);
    }

    private static (string Id, ErrorCategory Category) ForKind(ImapErrorKind kind) => kind switch
    {
        ImapErrorKind.CertificateRejected => (CertificateRejected, ErrorCategory.SecurityError),
        ImapErrorKind.AuthenticationFailed => (AuthenticationFailed, ErrorCategory.AuthenticationError),
        ImapErrorKind.FolderNotFound => (FolderNotFound, ErrorCategory.ObjectNotFound),
        ImapErrorKind.MessageNotFound => (MessageNotFound, ErrorCategory.ObjectNotFound),
        ImapErrorKind.MessageMalformed => (MessageMalformed, ErrorCategory.InvalidData),
        ImapErrorKind.ConnectionLost or ImapErrorKind.ConnectFailed or ImapErrorKind.LeaseTimeout => (ConnectionLost, ErrorCategory.ConnectionError),
        _ => (OperationFailed, ErrorCategory.NotSpecified),
    };
}
