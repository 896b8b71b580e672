using System;
using System.Threading.Tasks;

namespace ImapRx;

/// <summary>
/// Carries a failure of the caller's own code run inside an operation (a checkpoint store's I/O, say) past
/// <see cref="ImapErrors"/>: an <see cref="System.IO.IOException"/> from a disk is not a dropped connection, so it must
/// neither be retried as one nor cost the connection. <see cref="ImapErrors.Translate"/> unwraps it unchanged.
/// </summary>
internal sealed class NotAConnectionFailure : Exception
{
    private NotAConnectionFailure(Exception inner)
        : base(inner.Message, inner)
    {
    }

    internal static async Task<T> Run<T>(Func<Task<T>> work)
    {
        try
        {
            return await work().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new NotAConnectionFailure(ex);
        }
    }

    internal static async Task Run(Func<Task> work)
    {
        try
        {
            await work().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new NotAConnectionFailure(ex);
        }
    }
}
