namespace ImapRx.Sandbox.Server;

/// <summary>A mail account on a sandbox server. <see cref="ToString"/> shows the name only, never the password.</summary>
public sealed class SandboxUser
{
    internal SandboxUser(string name, string password, string homeDirectory)
    {
        Name = name;
        Password = password;
        HomeDirectory = homeDirectory;
    }

    /// <summary>Gets the login name.</summary>
    public string Name { get; }

    /// <summary>Gets the password (a fresh random one per user).</summary>
    public string Password { get; }

    /// <summary>Gets the user's home directory; mail lives in its <c>Maildir</c> subdirectory.</summary>
    public string HomeDirectory { get; }

    /// <summary>Gets the Maildir root (which is also INBOX).</summary>
    public string MaildirPath => Path.Combine(HomeDirectory, "Maildir");

    /// <inheritdoc />
    public override string ToString() => Name;
}
