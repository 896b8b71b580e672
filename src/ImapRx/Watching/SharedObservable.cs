using System;
using System.Collections.Generic;
using System.Reactive;
using System.Reactive.Disposables;
using System.Reactive.Subjects;
using ImapRx.Model;

namespace ImapRx.Watching;

/// <summary>
/// Like <c>Publish().RefCount()</c>, but each time the subscriber count goes from 0 to 1 (or after the source
/// ended) a fresh subject and a fresh source subscription are made, so a failed or finished watch can be
/// watched again (and <c>Retry()</c> on it works) instead of replaying the old end. A subscriber who joins a
/// running watch first receives its current status (<see cref="WatchStatusMemory"/>), then live events: never
/// an event twice, never one out of order, and user code is never called under the lock.
/// </summary>
internal sealed class SharedObservable : IObservable<MailboxEvent>
{
    private readonly IObservable<MailboxEvent> _source;
    private readonly object _gate = new();
    private Subject<(long Sequence, MailboxEvent Value)>? _subject;
    private WatchStatusMemory? _status;
    private IDisposable? _connection;
    private long _sequence;
    private int _count;

    internal SharedObservable(IObservable<MailboxEvent> source) => _source = source;

    /// <summary>Subscribers right now (for tests and diagnostics).</summary>
    internal int SubscriberCount
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    public IDisposable Subscribe(IObserver<MailboxEvent> observer)
    {
        if (observer is null)
        {
            throw new ArgumentNullException(nameof(observer));
        }

        Subject<(long Sequence, MailboxEvent Value)> subject;
        WatchStatusMemory status;
        IReadOnlyList<MailboxEvent> replay;
        Sink sink;
        IDisposable subscription;
        var connect = false;
        lock (_gate)
        {
            if (_subject is null)
            {
                _subject = new Subject<(long, MailboxEvent)>();
                _status = new WatchStatusMemory();
                connect = true;
            }

            subject = _subject;
            status = _status!;
            _count++;
            replay = status.Snapshot();

            // Events numbered up to here are either in the snapshot or were never meant for this subscriber.
            sink = new Sink(observer, _sequence, replaying: replay.Count > 0);
            subscription = subject.Subscribe(sink);
        }

        sink.Replay(replay);
        if (connect)
        {
            var connection = new SingleAssignmentDisposable();
            lock (_gate)
            {
                _connection = connection;
            }

            connection.Disposable = _source.Subscribe(
                value =>
                {
                    long sequence;
                    lock (_gate)
                    {
                        sequence = ++_sequence;
                        status.Observe(value);
                    }

                    subject.OnNext((sequence, value));
                },
                error => { Reset(subject); subject.OnError(error); },
                () => { Reset(subject); subject.OnCompleted(); });
        }

        return Disposable.Create(() =>
        {
            subscription.Dispose();
            IDisposable? toDispose = null;
            lock (_gate)
            {
                if (ReferenceEquals(_subject, subject) && --_count == 0)
                {
                    toDispose = _connection;
                    _connection = null;
                    _subject = null;
                    _status = null;
                }
            }

            // The last subscriber is gone: stop the watch (closes its connection).
            toDispose?.Dispose();
        });
    }

    private void Reset(Subject<(long, MailboxEvent)> ended)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_subject, ended))
            {
                _subject = null;
                _status = null;
                _connection = null;
                _count = 0;
            }
        }
    }

    /// <summary>
    /// One subscriber: drops events it joined after, and holds live events back while the status replay runs.
    /// </summary>
    private sealed class Sink : IObserver<(long Sequence, MailboxEvent Value)>
    {
        private readonly IObserver<MailboxEvent> _observer;
        private readonly long _joinedAt;
        private readonly object _lock = new();
        private readonly Queue<Notification<MailboxEvent>> _held = new();
        private volatile bool _replaying;

        internal Sink(IObserver<MailboxEvent> observer, long joinedAt, bool replaying)
        {
            _observer = observer;
            _joinedAt = joinedAt;
            _replaying = replaying;
        }

        public void OnNext((long Sequence, MailboxEvent Value) value)
        {
            if (value.Sequence <= _joinedAt)
            {
                return;
            }

            if (!_replaying)
            {
                _observer.OnNext(value.Value); // the usual case: no allocation per event and subscriber
                return;
            }

            Deliver(Notification.CreateOnNext(value.Value));
        }

        public void OnError(Exception error) => Deliver(Notification.CreateOnError<MailboxEvent>(error));

        public void OnCompleted() => Deliver(Notification.CreateOnCompleted<MailboxEvent>());

        internal void Replay(IReadOnlyList<MailboxEvent> replay)
        {
            if (!_replaying)
            {
                return;
            }

            foreach (var value in replay)
            {
                _observer.OnNext(value);
            }

            while (true)
            {
                Notification<MailboxEvent> next;
                lock (_lock)
                {
                    if (_held.Count == 0)
                    {
                        _replaying = false;
                        return;
                    }

                    next = _held.Dequeue();
                }

                next.Accept(_observer);
            }
        }

        private void Deliver(Notification<MailboxEvent> notification)
        {
            if (_replaying)
            {
                lock (_lock)
                {
                    if (_replaying)
                    {
                        _held.Enqueue(notification);
                        return;
                    }
                }
            }

            notification.Accept(_observer);
        }
    }
}
