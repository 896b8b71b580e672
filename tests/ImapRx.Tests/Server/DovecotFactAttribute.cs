namespace ImapRx.Tests.Server;

/// <summary>A fact that needs the sandbox Dovecot: skipped with the install command when it is missing, failed on CI.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class DovecotFactAttribute : FactAttribute
{
    public DovecotFactAttribute()
    {
        if (DovecotRequirement.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
