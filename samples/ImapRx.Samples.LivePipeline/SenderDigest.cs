namespace ImapRx.Samples.LivePipeline;

/// <summary>"Ann sent 3 messages, the first one about X": one notification per sender per window.</summary>
public sealed record SenderDigest(string Sender, int Count, string FirstSubject, DateTimeOffset At);
