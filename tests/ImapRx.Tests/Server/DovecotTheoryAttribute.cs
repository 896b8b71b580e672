namespace ImapRx.Tests.Server;

/// <summary>A theory that needs the sandbox Dovecot: skipped with the install command when it is missing, failed on CI.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class DovecotTheoryAttribute : TheoryAttribute
{
    public DovecotTheoryAttribute()
    {
        if (DovecotRequirement.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
