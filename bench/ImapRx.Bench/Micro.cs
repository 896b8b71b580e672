using System.Reactive.Subjects;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using ImapRx.Model;
using ImapRx.Search;
using ImapRx.Watching;
using MailKit;
using MimeKit;

namespace ImapRx.Bench;

/// <summary>The hot in-process paths, with allocations: search-string parsing, summary mapping, event dispatch.</summary>
public static class Micro
{
    public static int Run(string[] args)
    {
        BenchmarkSwitcher.FromTypes(new[] { typeof(ParserBenchmarks), typeof(MappingBenchmarks), typeof(DispatchBenchmarks) }).Run(args);
        return 0;
    }
}

[MemoryDiagnoser]
public class ParserBenchmarks
{
    [Benchmark]
    public object Simple() => ImapSearchParser.Parse("UNSEEN");

    [Benchmark]
    public object Typical() => ImapSearchParser.Parse("OR FROM \"ann@example.com\" SUBJECT \"quarterly report\" SINCE 1-Jan-2026 NOT DELETED LARGER 1000");

    [Benchmark]
    public object Nested() => ImapSearchParser.Parse("(OR (FROM a SUBJECT b) (TO c BODY \"d e f\")) UID 1:100,200:* KEYWORD $Important");
}

[MemoryDiagnoser]
public class MappingBenchmarks
{
    private MessageSummary _summary = null!;

    [GlobalSetup]
    public void Setup()
    {
        _summary = new MessageSummary(0)
        {
            UniqueId = new UniqueId(42),
            Flags = MessageFlags.Seen | MessageFlags.Flagged,
            Keywords = new HashSet<string> { "$Important" },
            Size = 12_345,
            InternalDate = DateTimeOffset.UtcNow,
            Envelope = new Envelope { Subject = "Quarterly report", Date = DateTimeOffset.UtcNow, MessageId = "x@example.com" },
        };
        _summary.Envelope.From.Add(new MailboxAddress("Ann", "ann@example.com"));
        _summary.Envelope.To.Add(new MailboxAddress("Bob", "bob@example.com"));
    }

    [Benchmark]
    public MailMessageInfo FromSummary() => MessageMapper.FromSummary(_summary, "INBOX", MailFolderType.Inbox, 7);
}

[MemoryDiagnoser]
public class DispatchBenchmarks
{
    private readonly Subject<MailboxEvent> _subject = new();
    private readonly MessagesArrived _event = new() { Uids = new uint[] { 1, 2, 3 } };
    private IDisposable[] _subscriptions = Array.Empty<IDisposable>();
    private SharedObservable? _shared;

    [Params(1, 10)]
    public int Subscribers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // The watch's own sharing (status memory, sequence numbers, one sink per subscriber), as Watch() hands it out.
        _shared = new SharedObservable(_subject);
        _subscriptions = Enumerable.Range(0, Subscribers).Select(_ => _shared.Subscribe(static _ => { })).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }
    }

    /// <summary>One event stamped (as the watcher does with <c>with</c>) and pushed through the shared watch to every subscriber.</summary>
    [Benchmark]
    public void StampAndDispatch() => _subject.OnNext(_event with { Folder = "INBOX", UidValidity = 7, Timestamp = DateTimeOffset.UtcNow });
}
