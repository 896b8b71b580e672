namespace ImapRx.Sandbox.Server;

/// <summary>The unprivileged account that owns all sandbox mail: <c>nobody</c>, looked up in /etc/passwd.</summary>
internal readonly record struct MailOwner(int Uid, int Gid)
{
    internal static MailOwner Nobody { get; } = Lookup("nobody");

    private static MailOwner Lookup(string name)
    {
        foreach (var line in File.ReadLines("/etc/passwd"))
        {
            var fields = line.Split(':');
            if (fields.Length > 3 && fields[0] == name)
            {
                return new MailOwner(int.Parse(fields[2]), int.Parse(fields[3]));
            }
        }

        return new MailOwner(65534, 65534);
    }
}
