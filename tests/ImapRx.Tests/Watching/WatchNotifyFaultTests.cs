using ImapRx.Configuration;
using ImapRx.Model;
using ImapRx.Sandbox.Faults;
using ImapRx.Sandbox.Server;
using ImapRx.Tests.Server;

namespace ImapRx.Tests.Watching;

/// <summary>
/// A NOTIFY watch of four folders on one connection, cut wherever it can be: during IDLE, during the resynchronising
/// EXAMINE after a reconnect, while the server reports another folder's STATUS, during NOTIFY SET itself, and through
/// a period of refused connections, while another client appends to every folder. Every message in every folder must
/// arrive exactly once, in UID order per folder.
/// </summary>
[Collection(DovecotWatchCollection.Name)]
public sealed class WatchNotifyFaultTests(DovecotFixture fixture)
{
    private static readonly string[] Folders = { "INBOX", SandboxFolders.Archive, "Projects/2026/Q1", SandboxFolders.Sent };

    [DovecotFact]
    public async Task Watch_FourFoldersWithNotify_CutInEveryPhaseAndRefused_EveryMessageInEveryFolderArrivesOnce()
    {
        var user = await fixture.CreateUserAsync();
        await using var proxy = new FaultProxy(fixture.Server.PlainPort);
        var account = new ImapAccountOptions(proxy.Host, user.Name, ImapCredential.FromPassword(user.Password))
        {
            Encryption = ImapEncryption.None,
            Port = proxy.Port,
            RetryDelay = TimeSpan.FromMilliseconds(100),
            MaxRetryDelay = TimeSpan.FromMilliseconds(400),
        };
        await using var client = new ImapRxClient(account);
        var events = new WatchTests.EventLog();
        using var subscription = client.Watch(Folders).Subscribe(events.Add, events.Fail);
        await events.WaitUntilAsync(() => events.Of<WatchIdling>().Count >= Folders.Length || events.Error is not null);
        Assert.Null(events.Error);

        await using var other = await SandboxClient.ConnectAsync(fixture.Server, user);
        var generator = new CorpusGenerator(184);
        var appended = Folders.ToDictionary(f => f, _ => new List<uint>());
        var resumedBefore = 0;

        // Each fault is armed once the previous outage is over, so it lands on a live connection in the phase it names.
        async Task AfterResumeAsync()
        {
            await events.WaitUntilAsync(() => events.Of<WatchResumed>().Count >= resumedBefore + Folders.Length || events.Error is not null);
            resumedBefore = events.Of<WatchResumed>().Count;
        }

        for (var i = 0; i < 120; i++)
        {
            switch (i)
            {
                case 20:
                    Assert.Equal(1, proxy.CutAll()); // wherever the watch is: IDLE, or catching up on the last append
                    break;
                case 40:
                    await AfterResumeAsync();
                    proxy.CutOnPattern(Direction.ClientToServer, "EXAMINE"); // the next resynchronisation, mid-way
                    proxy.CutAll();
                    break;
                case 60:
                    await AfterResumeAsync();
                    proxy.CutOnPattern(Direction.ServerToClient, "* STATUS"); // news of an unselected folder, cut off
                    break;
                case 80:
                    await AfterResumeAsync();
                    proxy.RefuseConnections(true);
                    proxy.CutAll();
                    break;
                case 95:
                    proxy.RefuseConnections(false);
                    break;
                case 105:
                    await AfterResumeAsync();
                    proxy.CutOnPattern(Direction.ClientToServer, "NOTIFY SET"); // the reconnect's own NOTIFY
                    proxy.CutAll();
                    break;
            }

            var folder = Folders[i % Folders.Length];
            appended[folder].Add((await other.AppendAsync(folder, generator.CreateSmallMessage(i))).Id);
        }

        await events.WaitUntilAsync(() => events.ArrivedUids().Count >= 120 || events.Error is not null);
        await Task.Delay(1500); // a duplicate would show up by now
        Assert.Null(events.Error);
        foreach (var folder in Folders)
        {
            Assert.Equal(appended[folder], events.Of<MessagesArrived>().Where(a => a.Folder == folder).SelectMany(a => a.Uids).ToList());
        }

        var cuts = proxy.CountEvents(FaultEventKind.Cut);
        Assert.True(cuts >= 7, $"{cuts} cuts"); // 5 CutAll/pattern faults, the EXAMINE and NOTIFY SET reconnects cut again
        Reliability.ReliabilityFigures.Add("messages checked across NOTIFY watch cuts (4 folders)", 120);
        Reliability.ReliabilityFigures.Add("faults injected into a NOTIFY watch (cuts in IDLE, EXAMINE, STATUS, NOTIFY SET; a refusal period)", cuts);
    }
}
