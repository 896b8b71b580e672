using System.Reactive.Concurrency;
using System.Reactive.Linq;
using Microsoft.Reactive.Testing;

namespace ImapRx.Tests.Samples;

// begin-snippet: user-pipeline
/// <summary>Your code: the unread count of INBOX every few minutes; a check that fails on a dropped connection is skipped.</summary>
public static class UnreadCheck
{
    public static IObservable<int> Counts(IImapRxClient mail, TimeSpan every, IScheduler scheduler)
        => Observable.Interval(every, scheduler)
            .Select(_ => mail.Search("INBOX", "UNSEEN").Count()
                .Catch((ImapRxException ex) => ex.IsTransient ? Observable.Empty<int>() : Observable.Throw<int>(ex)))
            .Concat();
}
// end-snippet

/// <summary>
/// docs/samples.md: a user's pipeline on <see cref="IImapRxClient"/> tested against <see cref="FakeImapRxClient"/> in
/// virtual time: three checks 5 minutes apart take 15 virtual minutes and no real time.
/// </summary>
public sealed class UnreadCheckVirtualTimeTests : ReactiveTest
{
    [Fact]
    public void Counts_ThreeChecksTheSecondCutOff_TwoCountsAtTheirVirtualTimesAndTheFailureSkipped()
    {
        // begin-snippet: fake-client-test
        var scheduler = new TestScheduler();
        var minute = TimeSpan.FromMinutes(1).Ticks;
        var answers = new[]
        {
            scheduler.CreateColdObservable(OnNext(100, 7u), OnNext(100, 9u), OnCompleted<uint>(100)),
            scheduler.CreateColdObservable(OnError<uint>(50, new ImapConnectionException("connection reset"))),
            scheduler.CreateColdObservable(OnNext(200, 12u), OnCompleted<uint>(200)),
        };
        var mail = new InboxFake(answers);

        var counts = scheduler.Start(
            () => UnreadCheck.Counts(mail, TimeSpan.FromMinutes(5), scheduler),
            created: 0, subscribed: 0, disposed: 16 * minute);

        // Each check is one SEARCH, answered 100 or 200 ticks after it starts (a TestScheduler runs what is scheduled
// for "now" one tick later, hence the + 1); the cut-off one leaves no count.
        Assert.Equal(
            new[] { (2, 5 * minute + 101), (1, 15 * minute + 201) },
            counts.Messages.Select(m => (m.Value.Value, m.Time)));
        Assert.Equal(3, mail.Searches);
        Assert.Equal(new[] { Subscribe(5 * minute + 1, 5 * minute + 101) }, answers[0].Subscriptions);
        // end-snippet
    }

    [Fact]
    public void FakeImapRxClient_MemberNotOverridden_ThrowsAtCallTimeNamingIt()
    {
        var mail = new InboxFake();

        var error = Assert.Throws<NotSupportedException>(() => mail.Watch("INBOX"));

        Assert.Contains("Watch", error.Message, StringComparison.Ordinal);
    }

    // begin-snippet: fake-client-inbox
    /// <summary>Fakes only what UnreadCheck calls: each SEARCH gets the next answer.</summary>
    private sealed class InboxFake(params IObservable<uint>[] answers) : FakeImapRxClient
    {
        public int Searches { get; private set; }

        public override IObservable<uint> Search(string folder, string criteria) => answers[Searches++];
    }
    // end-snippet
}
