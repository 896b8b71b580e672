using System.Reactive.Linq;
using ImapRx.Fetching;
using ImapRx.Pooling;
using ImapRx.Sandbox.Server;
using ImapRx.Tests.Server;
using ImapRx.Tests.Watching;

namespace ImapRx.Tests.Pooling;

/// <summary>
/// When a pooled connection selects a folder again: every call SELECTs anew (a session is not always told that its
/// selected folder was deleted and recreated), except between the batches of one parallel fetch, whose connections
/// keep their selection (a SELECT of a big folder is a full mailbox open on the server).
/// </summary>
[Collection(DovecotCollection.Name)]
public sealed class SelectionReuseTests(DovecotFixture fixture)
{
    [DovecotFact]
    public async Task MessageBatches_ParallelFetch_EachConnectionSelectsOnceAndTheNextFetchSelectsAgain()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, "INBOX", new CorpusGenerator(8).GenerateSmall(600));
        var wire = new WireLog();
        await using var client = new ImapRxClient(SandboxAccounts.For(fixture.Server, user, maxConnections: 3), new ImapPoolOptions { ProtocolLog = wire.Open });
        var options = new FetchOptions { BatchSize = 50, MaxParallelism = 3 };

        var first = await client.MessageBatches("INBOX", options).ToList();
        var connections = Logins(wire);
        var examinesFirst = Examines(wire);
        var second = await client.MessageBatches("INBOX", options).ToList();

        Assert.Equal(Enumerable.Range(1, 600).Select(i => (uint)i), first.SelectMany(b => b).Select(m => m.Uid));
        Assert.Equal(first.SelectMany(b => b).Select(m => m.Uid), second.SelectMany(b => b).Select(m => m.Uid));
        Assert.Equal(12, first.Count);
        Assert.InRange(connections, 1, 3);
        Assert.InRange(examinesFirst, 1, connections); // not one per batch (12)
        Assert.Equal(connections, Logins(wire)); // the second fetch reused the pooled connections...
        Assert.InRange(Examines(wire) - examinesFirst, 1, connections); // ...and selected afresh on each it used
    }

    [DovecotFact]
    public async Task Messages_FolderDeletedAndRecreatedWhileSelectedOnThePooledConnection_ReadsOnlyTheNewFolder()
    {
        var user = await fixture.CreateUserAsync();
        var generator = new CorpusGenerator(6);
        await using var other = await SandboxClient.ConnectAsync(fixture.Server, user);
        for (var i = 0; i < 3; i++)
        {
            await other.AppendAsync(SandboxFolders.Archive, generator.CreateSmallMessage(i));
        }

        await using var client = SandboxAccounts.Client(fixture.Server, user, maxConnections: 1);
        var before = await client.GetMessagesAsync(SandboxFolders.Archive);

        // Dovecot keeps serving the deleted folder's messages to a session that still has it selected (even a
        // STATUS by name answers for the old one): only a new SELECT sees the new folder.
        var newValidity = await other.DeleteAndRecreateFolderAsync(SandboxFolders.Archive);
        var fresh = await other.AppendAsync(SandboxFolders.Archive, generator.CreateSmallMessage(9));
        var after = await client.GetMessagesAsync(SandboxFolders.Archive);

        Assert.Equal(3, before.Count);
        var message = Assert.Single(after);
        Assert.Equal(fresh.Id, message.Uid);
        Assert.Equal(newValidity, message.UidValidity);
        Assert.NotEqual(before[0].UidValidity, message.UidValidity);
    }

    private static int Logins(WireLog wire)
        => wire.ToString().Split('\n').Count(line => line.StartsWith("C: ", StringComparison.Ordinal) && line.Contains(" AUTHENTICATE ", StringComparison.Ordinal));

    private static int Examines(WireLog wire)
        => wire.ToString().Split('\n').Count(line => line.StartsWith("C: ", StringComparison.Ordinal) && line.Contains(" EXAMINE ", StringComparison.Ordinal));
}
