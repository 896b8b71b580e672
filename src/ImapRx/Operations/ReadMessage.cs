using System;
using System.IO;
using System.Reactive.Linq;
using System.Threading;
using System.Threading.Tasks;
using MailKit;
using MimeKit;

namespace ImapRx.Operations;

/// <summary>One whole message (BODY.PEEK: not marked read), parsed or as the server's bytes. Reads: retried.</summary>
internal static class ReadMessage
{
    internal static IObservable<MimeMessage> Parsed(ClientContext context, string folder, uint uid)
        => Leased.Run<MimeMessage>(context, $"MimeMessage({uid}) in '{folder}'", retry: true, async (lease, observer, cancellationToken) =>
        {
            var mailFolder = await lease.OpenFolderAsync(folder, FolderAccess.ReadOnly, cancellationToken).ConfigureAwait(false);
            try
            {
                observer.OnNext(await mailFolder.GetMessageAsync(new UniqueId(uid), cancellationToken).ConfigureAwait(false));
            }
            catch (Exception ex) when (ImapErrors.IsMessageNotFound(ex))
            {
                throw new ImapMessageNotFoundException(folder, uid, ex);
            }
            catch (Exception ex) when (ImapErrors.IsUnparsable(ex))
            {
                // The FETCH completed before MimeKit parsed, so the connection is in step and goes back to the pool.
                throw new ImapMessageMalformedException(folder, uid, ex);
            }
        });

    /// <summary>
    /// The server's bytes as they are (BODY.PEEK[]): parsing and writing back would change line endings and
    /// folding, and a saved .eml must be the message, not our rendering of it. MailKit holds the whole literal
    /// once the FETCH completes, so the connection goes back to the pool before <paramref name="destination"/> is
    /// written; a failure writing there is the destination's, passed on as it is and never retried.
    /// </summary>
    internal static IObservable<long> Save(ClientContext context, string folder, uint uid, Stream destination)
        => Leased.Run<Stream>(context, $"SaveMessage({uid}) in '{folder}'", retry: true, async (lease, observer, cancellationToken) =>
            {
                var mailFolder = await lease.OpenFolderAsync(folder, FolderAccess.ReadOnly, cancellationToken).ConfigureAwait(false);
                try
                {
                    observer.OnNext(await mailFolder.GetStreamAsync(new UniqueId(uid), cancellationToken).ConfigureAwait(false));
                }
                catch (Exception ex) when (ImapErrors.IsMessageNotFound(ex))
                {
                    throw new ImapMessageNotFoundException(folder, uid, ex);
                }
            })
            .SelectMany((raw, _, cancellationToken) => CopyAsync(raw, destination, cancellationToken));

    private static async Task<long> CopyAsync(Stream raw, Stream destination, CancellationToken cancellationToken)
    {
        using (raw)
        {
            var buffer = new byte[81920];
            long written = 0;
            int read;
            while ((read = await raw.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await destination.WriteAsync(buffer, 0, read, cancellationToken).ConfigureAwait(false);
                written += read;
            }

            await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
            return written;
        }
    }
}
