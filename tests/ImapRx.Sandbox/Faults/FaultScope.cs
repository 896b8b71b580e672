namespace ImapRx.Sandbox.Faults;

/// <summary>How often a <see cref="FaultRule"/> fires.</summary>
public enum FaultScope
{
    /// <summary>On the first connection that reaches the trigger, then the rule disarms itself.</summary>
    Once,

    /// <summary>On every connection that reaches the trigger (once per connection) until disarmed.</summary>
    EveryConnection,
}
