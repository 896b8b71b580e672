using System.Reactive.Concurrency;
using System.Reactive.Linq;
using ImapRx.Model;

namespace ImapRx.Samples.LivePipeline;

/// <summary>Turns a Watch stream into at most one notification per sender per window.</summary>
public static class SenderDigests
{
    // begin-snippet: live-pipeline
    public static IObservable<SenderDigest> PerSender(IObservable<MailboxEvent> events, TimeSpan window, IScheduler scheduler)
        => events.OfType<MessagesArrived>()                                  // from Watch(..., new() { IncludeSummaries = true })
            .SelectMany(arrived => arrived.Messages ?? Array.Empty<MailMessageInfo>())
            .GroupBy(message => message.From.ToLowerInvariant())
            .SelectMany(fromOneSender => fromOneSender
                .Buffer(window, scheduler)                                   // the scheduler makes it testable in virtual time
                .Where(batch => batch.Count > 0)
                .Select(batch => new SenderDigest(fromOneSender.Key, batch.Count, batch[0].Subject, scheduler.Now)));
    // end-snippet
}
