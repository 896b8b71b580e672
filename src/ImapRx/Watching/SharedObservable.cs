using System;
using System.Reactive.Disposables;
using System.Reactive.Subjects;

namespace ImapRx.Watching;

/// <summary>
/// Like <c>Publish().RefCount()</c>, but each time the subscriber count goes from 0 to 1 (or after the source
/// ended) a fresh subject and a fresh source subscription are made, so a failed or finished watch can be
/// watched again (and <c>Retry()</c> on it works) instead of replaying the old end.
/// </summary>
internal sealed class SharedObservable<T> : IObservable<T>
{
    private readonly IObservable<T> _source;
    private readonly object _gate = new();
    private Subject<T>? _subject;
    private IDisposable? _connection;
    private int _count;

    internal SharedObservable(IObservable<T> source) => _source = source;

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

    public IDisposable Subscribe(IObserver<T> observer)
    {
        if (observer is null)
        {
            throw new ArgumentNullException(nameof(observer));
        }

        Subject<T> subject;
        var connect = false;
        lock (_gate)
        {
            if (_subject is null)
            {
                _subject = new Subject<T>();
                connect = true;
            }

            subject = _subject;
            _count++;
        }

        var subscription = subject.Subscribe(observer);
        if (connect)
        {
            var connection = new SingleAssignmentDisposable();
            lock (_gate)
            {
                _connection = connection;
            }

            connection.Disposable = _source.Subscribe(
                value => subject.OnNext(value),
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
                }
            }

            // The last subscriber is gone: stop the watch (closes its connection).
            toDispose?.Dispose();
        });
    }

    private void Reset(Subject<T> ended)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_subject, ended))
            {
                _subject = null;
                _connection = null;
                _count = 0;
            }
        }
    }
}
