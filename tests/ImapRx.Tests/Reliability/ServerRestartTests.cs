using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using ImapRx.Fetching;
using ImapRx.Model;
using ImapRx.Sandbox.Server;
using ImapRx.Tests.Server;
using ImapRx.Tests.Watching;

namespace ImapRx.Tests.Reliability;

/// <summary>Dovecot restarted under live streams: BYE, nothing listening for a while, then back on the same ports.</summary>
public sealed class ServerRestartTests
{
    [DovecotFact]
    public async Task RestartOfDovecot_WatchAndFetchRunning_BothRecoverWhenTheServerIsBack()
    {
        await using var server = await DovecotServer.StartAsync();
        var user = await server.CreateUserAsync();
        await new MaildirWriter(server).WriteAsync(user, "INBOX", new CorpusGenerator(98).GenerateSmall(3_000));
        var account = SandboxAccounts.For(server, user);
        account.MaxRetries = 8;
        account.MaxRetryDelay = TimeSpan.FromSeconds(1);
        await using var client = new ImapRxClient(account);
        var events = new WatchTests.EventLog();
        using var watch = client.Watch(SandboxFolders.Archive).Subscribe(events.Add, events.Fail);
        await events.WaitForAsync<WatchIdling>(1);

        var batches = 0;
        Task? restart = null;
        var fetch = client.MessageBatches("INBOX", new FetchOptions { BatchSize = 100 })
            .Do(_ =>
            {
                if (Interlocked.Increment(ref batches) == 5)
                {
                    restart = server.RestartAsync(TimeSpan.FromSeconds(2));
                }
            })
            .SelectMany(b => b)
            .Select(m => m.Uid)
            .ToList()
            .ToTask();

        var uids = await fetch.WaitAsync(TimeSpan.FromSeconds(120));
        await restart!.WaitAsync(TimeSpan.FromSeconds(60));
        await events.WaitForAsync<WatchResumed>(1);
        await using (var other = await SandboxClient.ConnectAsync(server, user))
        {
            var uid = await other.AppendAsync(SandboxFolders.Archive, new CorpusGenerator(99).CreateSmallMessage(0));
            await events.WaitUntilAsync(() => events.ArrivedUids().Contains(uid.Id));
        }

        Assert.Equal(Enumerable.Range(1, 3_000).Select(i => (uint)i), uids);
        Assert.NotEmpty(events.Of<WatchReconnecting>());
        Assert.Null(events.Error);
        ReliabilityFigures.Add("faults injected: Dovecot restarts", 1);
        ReliabilityFigures.Add("messages checked (faults)", uids.Count);
    }
}
