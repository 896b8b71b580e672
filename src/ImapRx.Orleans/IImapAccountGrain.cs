using System.Collections.Generic;
using System.Threading.Tasks;
using Orleans;
using Orleans.Concurrency;

namespace ImapRx.Orleans;

/// <summary>
/// One IMAP account on the cluster, keyed by the application's account id (never a password: the grain asks
/// <see cref="IImapAccountResolver"/> for the credentials each time it connects). Orleans keeps one activation per
/// account, so the account's connection limit holds across the whole cluster.
/// </summary>
[Alias("ImapRx.Orleans.IImapAccountGrain")]
public interface IImapAccountGrain : IGrainWithStringKey
{
    /// <summary>
    /// Starts (or changes the folders of) the account: Sync from the stored checkpoints, then Watch, handing every
    /// change to <see cref="IImapEventHandler"/>. Survives deactivation and silo failures until <see cref="StopAsync"/>.
    /// </summary>
    [Alias("Start")]
    Task StartAsync(IReadOnlyList<string> folders);

    /// <summary>Stops the account: logs out, forgets the reminder, keeps the checkpoints (a later start resumes from them).</summary>
    [Alias("Stop")]
    Task StopAsync();

    /// <summary>Where the account runs now and how it is doing.</summary>
    [Alias("GetStatus")]
    Task<ImapAccountStatus> GetStatusAsync();

    /// <summary>Activates the account if it should run (used by the reminder and after a move); does nothing otherwise.</summary>
    [Alias("Wake"), OneWay]
    Task WakeAsync();
}
