using System.Text;

namespace ImapRx.Sandbox.Faults;

/// <summary>Faults that change or hold traffic without cutting it: holding a reply, rewriting bytes.</summary>
public sealed partial class FaultProxy
{
    private RewriteRule[] _rewrites = [];

    internal RewriteRule[] ArmedRewrites => Volatile.Read(ref _rewrites);

    /// <summary>
    /// Holds the chunk in which <paramref name="pattern"/> ends for <paramref name="holdFor"/> before forwarding it
    /// (and so everything after it in that direction on that connection), then forwards normally: a server that is
    /// slow to give one particular answer, e.g. <c>"[AUTHENTICATIONFAILED]"</c>. The connection is never cut.
    /// </summary>
    public FaultRule HoldOnPattern(Direction direction, string pattern, TimeSpan holdFor, FaultScope scope = FaultScope.Once)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        RequireSingle(direction, nameof(direction));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(holdFor, TimeSpan.Zero);
        RequireScope(scope, nameof(scope));
        return Arm(new FaultRule(direction, scope, null, Encoding.UTF8.GetBytes(pattern), Disarm, holdFor));
    }

    /// <summary>
    /// Replaces every occurrence of <paramref name="pattern"/> with <paramref name="replacement"/> (which may be
    /// empty) in the chunks moving in <paramref name="direction"/>, on live and new connections, until the rule is
    /// disarmed: e.g. a man in the middle that strips <c>" STARTTLS"</c> from the server's capabilities.
    /// </summary>
    public RewriteRule Rewrite(Direction direction, string pattern, string replacement)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        ArgumentNullException.ThrowIfNull(replacement);
        RequireSingle(direction, nameof(direction));
        ThrowIfDisposed();
        var rule = new RewriteRule(direction, Encoding.UTF8.GetBytes(pattern), Encoding.UTF8.GetBytes(replacement), DisarmRewrite);
        lock (_rulesLock)
        {
            _rewrites = [.. _rewrites, rule];
        }

        return rule;
    }

    private void DisarmRewrite(RewriteRule rule)
    {
        lock (_rulesLock)
        {
            _rewrites = [.. _rewrites.Where(r => r != rule)];
        }
    }
}
