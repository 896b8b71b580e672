using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace ImapRx.Sandbox.Faults;

/// <summary>
/// Waits until a socket's send queue is empty. An abortive close (RST) throws away whatever the kernel has not
/// sent yet, so a byte-exact cut must let the allowed prefix leave first.
/// </summary>
internal static class SendQueue
{
    // SIOCOUTQ: bytes not yet sent or not yet acknowledged by the peer (Linux).
    private const nuint OutQueueRequest = 0x5411;

    internal static async Task WaitUntilSentAsync(Socket socket, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var elapsed = Stopwatch.StartNew();
        while (Pending(socket) > 0 && elapsed.Elapsed < timeout)
        {
            await Task.Delay(1, cancellationToken).ConfigureAwait(false);
        }
    }

    private static int Pending(Socket socket)
    {
        var handle = socket.SafeHandle;
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return Ioctl((int)handle.DangerousGetHandle(), OutQueueRequest, out var pending) == 0 ? pending : 0;
        }
        catch (ObjectDisposedException)
        {
            return 0;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    [DllImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static extern int Ioctl(int fd, nuint request, out int value);
}
