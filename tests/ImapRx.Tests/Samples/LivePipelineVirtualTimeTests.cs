using ImapRx.Model;
using ImapRx.Samples.LivePipeline;
using Microsoft.Reactive.Testing;

namespace ImapRx.Tests.Samples;

/// <summary>
/// How to test your own pipeline on ImapRx without a server: feed it MailboxEvents from a TestScheduler and
/// check what comes out, and when, in virtual time. (samples/ImapRx.Samples.LivePipeline is the code under test.)
/// </summary>
public sealed class LivePipelineVirtualTimeTests : ReactiveTest
{
    [Fact]
    public void PerSender_ArrivalsOverTwoMinutes_OneDigestPerSenderPerMinuteAtTheEndOfThatSendersWindow()
    {
        // begin-snippet: virtual-time-test
        var scheduler = new TestScheduler();
        var minute = TimeSpan.FromMinutes(1).Ticks;
        var events = scheduler.CreateHotObservable(
            OnNext(10, Arrived(1, "ann@example.com", "Budget")),
            OnNext(20, Arrived(2, "bob@example.com", "Lunch?")),
            OnNext(minute / 2, Arrived(3, "ANN@example.com", "Budget, again")),
            OnNext(minute + 15, Arrived(4, "ann@example.com", "Final budget")));

        var digests = scheduler.Start(
            () => SenderDigests.PerSender(events, TimeSpan.FromMinutes(1), scheduler),
            created: 0, subscribed: 0, disposed: 3 * minute);

        // Each sender's windows start at that sender's first message: ann's at 10 and minute + 10, bob's at 20.
        Assert.Equal(
            new[] { ("ann@example.com", 2, "Budget", minute + 10), ("bob@example.com", 1, "Lunch?", minute + 20), ("ann@example.com", 1, "Final budget", 2 * minute + 10) },
            digests.Messages.Select(m => (m.Value.Value.Sender, m.Value.Value.Count, m.Value.Value.FirstSubject, m.Time)));
        // end-snippet
    }

    private static MailboxEvent Arrived(uint uid, string from, string subject) => new MessagesArrived
    {
        Folder = "INBOX",
        Uids = new[] { uid },
        Messages = new[] { new MailMessageInfo { Uid = uid, Folder = "INBOX", From = from, Subject = subject } },
    };
}
