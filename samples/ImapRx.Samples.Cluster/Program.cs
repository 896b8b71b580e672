// Two Orleans silos on 127.0.0.1 keep a set of sandbox mailboxes in sync with ImapRx.Orleans; one stops, its
// accounts move to the other, and the counts show nothing was lost. Run: bash samples/ImapRx.Samples.Cluster/run.sh
using System.Runtime.InteropServices;
using ImapRx.Samples.Cluster;

ClusterDemoOptions options;
try
{
    options = ClusterDemoOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

using var stopping = new CancellationTokenSource();
// Ctrl+C or SIGTERM cancels the run; the handler keeps the process alive so every silo stops, every IMAP session
// ends and the sandbox Dovecot and its directory go away before it exits.
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stopping.Cancel(); });
using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stopping.Cancel(); });
try
{
    var result = await ClusterDemo.RunAsync(options, Console.Out, stopping.Token);
    return result.Succeeded ? 0 : 1;
}
catch (OperationCanceledException) when (stopping.IsCancellationRequested)
{
    Console.WriteLine("Interrupted: every silo stopped, the sandbox Dovecot stopped and its directory removed.");
    return 130;
}
catch (Exception ex)
{
    Console.Error.WriteLine($"The cluster sample failed: {ex}");
    return 1;
}
