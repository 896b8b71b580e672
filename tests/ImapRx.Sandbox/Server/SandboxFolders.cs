namespace ImapRx.Sandbox.Server;

/// <summary>
/// The folders every sandbox user starts with. The hierarchy separator is <c>/</c>; on disk the
/// Maildir++ layout stores <c>Projects/2026/Q1</c> as <c>.Projects.2026.Q1</c>, names in modified UTF-7.
/// </summary>
public static class SandboxFolders
{
    /// <summary>The hierarchy separator of the personal namespace.</summary>
    public const char Separator = '/';

    public const string Inbox = "INBOX";
    public const string Sent = "Sent";
    public const string Drafts = "Drafts";
    public const string Trash = "Trash";
    public const string Junk = "Junk";
    public const string Archive = "Archive";
    public const string NonAsciiGerman = "Entwürfe";
    public const string NonAsciiJapanese = "日本語";
    public const string WithSpace = "Folder With Space";
    public const string Projects = "Projects";
    public const string Projects2026 = "Projects/2026";
    public const string ProjectsQ1 = "Projects/2026/Q1";
    public const string ProjectsQ2 = "Projects/2026/Q2";

    /// <summary>Gets the special-use folders with their RFC 6154 attribute, as configured in the namespace.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> SpecialUse { get; } = new[]
    {
        KeyValuePair.Create(Sent, "\\Sent"),
        KeyValuePair.Create(Drafts, "\\Drafts"),
        KeyValuePair.Create(Trash, "\\Trash"),
        KeyValuePair.Create(Junk, "\\Junk"),
        KeyValuePair.Create(Archive, "\\Archive"),
    };

    /// <summary>Gets the ordinary folders created for each user, parents before children.</summary>
    public static IReadOnlyList<string> Ordinary { get; } = new[]
    {
        NonAsciiGerman, NonAsciiJapanese, WithSpace, Projects, Projects2026, ProjectsQ1, ProjectsQ2,
    };

    /// <summary>Gets every selectable folder a new user has, INBOX first.</summary>
    public static IReadOnlyList<string> All { get; } =
        new[] { Inbox }.Concat(SpecialUse.Select(s => s.Key)).Concat(Ordinary).ToArray();
}
