using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;

namespace ImapRx.PowerShell.Infrastructure;

/// <summary>
/// Base for cmdlets that use a session. Streams are drained on the pipeline thread (Write* is only legal
/// there); Ctrl+C (StopProcessing) disposes the subscription, which cancels the work on the server.
/// </summary>
public abstract class ImapCmdlet : PSCmdlet
{
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>The session to use; the default is the last one Connect-ImapServer made.</summary>
    [Parameter]
    public ImapSession? Session { get; set; }

    /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops.</summary>
    protected CancellationToken StopToken => _stopping.Token;

    /// <summary>The session to use, or a terminating ImapNoSession error.</summary>
    protected ImapSession ResolveSession()
    {
        var session = Session ?? ImapSession.GetDefault(this);
        if (session is null || !session.IsConnected)
        {
            ThrowTerminatingError(new ErrorRecord(
                new InvalidOperationException("No IMAP session. Run Connect-ImapServer first, or pass -Session."),
                ErrorIds.NoSession,
                ErrorCategory.InvalidOperation,
                null));
        }

        return session!;
    }

    /// <summary>Subscribes and hands every item to <paramref name="onNext"/> on the pipeline thread, as it arrives.</summary>
    /// <returns>False when the stream failed (the error was written) or the pipeline is stopping.</returns>
    protected bool Drain<T>(IObservable<T> source, Action<T> onNext, object? errorTarget)
    {
        using var queue = new BlockingCollection<T>();
        Exception? failure = null;
        using (source.Subscribe(
                   item => queue.Add(item),
                   error => { failure = error; queue.CompleteAdding(); },
                   () => queue.CompleteAdding()))
        {
            try
            {
                foreach (var item in queue.GetConsumingEnumerable(StopToken))
                {
                    onNext(item);
                }
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        if (failure is not null)
        {
            WriteError(ErrorIds.ToErrorRecord(failure, errorTarget));
            return false;
        }

        return true;
    }

    /// <inheritdoc/>
    protected override void StopProcessing() => _stopping.Cancel();

    /// <inheritdoc/>
    protected override void EndProcessing() => base.EndProcessing();
}
