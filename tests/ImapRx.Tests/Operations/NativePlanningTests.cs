using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using ImapRx.Fetching;
using ImapRx.Sandbox.Faults;
using ImapRx.Sandbox.Server;
using ImapRx.Tests.Server;
using ImapRx.Tests.Wire;

namespace ImapRx.Tests.Operations;

/// <summary>
/// Where a native fetch is planned, seen from the wire: the fault proxy counts the connections a fetch opens. Planned
/// on its bulk session, a fetch on one session uses that one connection and nothing else; planned on MailKit, a
/// pooled connection opens the folder first.
/// </summary>
[Collection(DovecotCollection.Name)]
public sealed class NativePlanningTests(DovecotFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [DovecotFact]
    public async Task Messages_PlainOrUidListOnOneSession_OneConnectionInAll_ASearchTwo()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, SandboxFolders.Inbox, new CorpusGenerator(71).Generate(60));
        await using var proxy = new FaultProxy(fixture.Server.PlainPort);
        await using var client = new ImapRxClient(NativeFetchSessionLimitTests.ThroughProxy(proxy, user, maxConnections: 2));

        async Task<(List<uint> Uids, long Connections)> FetchAsync(FetchOptions options)
        {
            var before = proxy.TotalConnections;
            var uids = (await client.GetMessagesAsync(SandboxFolders.Inbox, options).WaitAsync(Patience)).Select(m => m.Uid).ToList();
            return (uids, proxy.TotalConnections - before);
        }

        var plain = await FetchAsync(new FetchOptions { UseNativeReader = true, BatchSize = 25 });
        var listed = await FetchAsync(new FetchOptions { UseNativeReader = true, BatchSize = 2, Uids = new uint[] { 500, 10, 3, 9, 10, 11, 60 } });
        var contentsBefore = proxy.TotalConnections;
        var contents = await client.GetMessageContentsAsync(SandboxFolders.Inbox, new FetchOptions { UseNativeReader = true, Uids = new uint[] { 7, 5 } }).WaitAsync(Patience);
        var contentsConnections = proxy.TotalConnections - contentsBefore;
        Assert.Equal(new ImapRx.Pooling.ImapPoolStatistics(OpenConnections: 0, LeasesInUse: 0, IdleConnections: 0), client.Pool.GetStatistics(client.Account));
        var searched = await FetchAsync(new FetchOptions { UseNativeReader = true, Where = "UID 5:8" });

        Assert.Equal(Enumerable.Range(1, 60).Select(i => (uint)i), plain.Uids);
        Assert.Equal(1, plain.Connections);
        Assert.Equal(new uint[] { 3, 9, 10, 11, 60 }, listed.Uids); // once each, ascending; 500 is not in the folder
        Assert.Equal(1, listed.Connections);
        Assert.Equal(new uint[] { 5, 7 }, contents.Select(m => m.Uid));
        Assert.Equal(1, contentsConnections);
        Assert.Equal(new uint[] { 5, 6, 7, 8 }, searched.Uids);
        Assert.Equal(2, searched.Connections); // the search on a pooled MailKit connection, the batch on a bulk session
    }

    [DovecotFact]
    public async Task Messages_UidListAndLimitAndSinceUid_SameAsMailKit()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, SandboxFolders.Inbox, new CorpusGenerator(72).Generate(40));
        await using var client = SandboxAccounts.Client(fixture.Server, user, maxConnections: 3);
        uint[] wanted = [40, 2, 2, 17, 18, 19, 33, 41, 9_999, 1];

        foreach (var options in new[]
        {
            new FetchOptions { Uids = wanted, BatchSize = 3 },
            new FetchOptions { Uids = wanted, Limit = 4, BatchSize = 3 },
            new FetchOptions { Uids = wanted, SinceUid = 17, BatchSize = 2 },
            new FetchOptions { Uids = new uint[] { 41, 42 } },
        })
        {
            var mailKit = await client.GetMessagesAsync(SandboxFolders.Inbox, options);
            var mailKitContents = await client.GetMessageContentsAsync(SandboxFolders.Inbox, options);
            options.UseNativeReader = true;
            options.MaxParallelism = 2;
            var native = await client.GetMessagesAsync(SandboxFolders.Inbox, options);
            var nativeContents = await client.GetMessageContentsAsync(SandboxFolders.Inbox, options);

            InfoAssert.Equal(mailKit.ToList(), native.ToList());
            Assert.Equal(mailKitContents.Select(m => (m.Uid, m.Folder, Convert.ToBase64String(m.Data.ToArray()))), nativeContents.Select(m => (m.Uid, m.Folder, Convert.ToBase64String(m.Data.ToArray()))));
        }
    }

    [DovecotFact]
    public async Task MessageBatches_UidListCutMidFetch_ResumesAfterTheLastUidDeliveredEachMessageOnce()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, SandboxFolders.Inbox, new CorpusGenerator(73).Generate(120));
        await using var proxy = new FaultProxy(fixture.Server.PlainPort);
        await using var client = new ImapRxClient(NativeFetchSessionLimitTests.ThroughProxy(proxy, user, maxConnections: 2));
        var wanted = Enumerable.Range(1, 120).Where(u => u % 3 != 0).Select(u => (uint)u).ToArray();
        var cut = proxy.CutOnPattern(Direction.ServerToClient, "* 62 FETCH");

        var batches = await client.MessageBatches(SandboxFolders.Inbox, new FetchOptions { UseNativeReader = true, BatchSize = 20, Uids = wanted })
            .Select(b => b.Select(m => m.Uid).ToList()).ToList().ToTask().WaitAsync(Patience);

        // The batches before the cut were delivered; had the fetch started over, their UIDs would come twice.
        Assert.Equal(1, cut.FiredCount);
        Assert.Equal(wanted, batches.SelectMany(b => b));
        Assert.Equal(wanted.Take(20), batches[0]);
        Assert.Equal(0, client.Pool.GetStatistics(client.Account).LeasesInUse);
    }
}
