namespace MimeKit;

/// <summary>A type by the same name as MimeKit's, with nothing in it: code bound to it cannot parse mail.</summary>
public sealed class MimeMessage
{
}
