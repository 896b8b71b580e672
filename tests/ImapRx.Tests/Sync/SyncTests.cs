using System.Reactive.Linq;
using ImapRx.Model;
using ImapRx.Sandbox.Server;
using ImapRx.Sync;
using ImapRx.Tests.Server;
using MailKit;

namespace ImapRx.Tests.Sync;

[Collection(DovecotWatchCollection.Name)]
public sealed class SyncTests(DovecotFixture fixture)
{
    [DovecotFact]
    public async Task Sync_AfterProcessRestart_ReportsOnlyWhatChanged()
    {
        var user = await fixture.CreateUserAsync();
        var directory = Directory.CreateTempSubdirectory("imaprx-sync-").FullName;
        try
        {
            await using var other = await SandboxClient.ConnectAsync(fixture.Server, user);
            var generator = new CorpusGenerator(30);
            var uids = new List<UniqueId>();
            for (var i = 0; i < 5; i++)
            {
                uids.Add(await other.AppendAsync("INBOX", generator.CreateSmallMessage(i)));
            }

            IList<MailboxEvent> first;
            await using (var client = SandboxAccounts.Client(fixture.Server, user))
            {
                first = await client.Sync("INBOX", new FileSyncStateStore(directory), new SyncOptions { BatchSize = 2 }).ToList();
            }

            Assert.Equal(uids.Select(u => u.Id), first.OfType<MessagesArrived>().SelectMany(e => e.Uids));
            Assert.Equal(3, first.OfType<MessagesArrived>().Count());
            Assert.All(first.OfType<MessagesArrived>(), e => Assert.Equal(e.Uids, e.Messages!.Select(m => m.Uid)));

            // Another client changes things while "our process" is down.
            await other.AddFlagsAsync("INBOX", new[] { uids[1] }, MessageFlags.Flagged);
            await other.ExpungeAsync("INBOX", new[] { uids[2] });
            var added = await other.AppendAsync("INBOX", generator.CreateSmallMessage(10));

            // A new process: new client, new store instance on the same directory.
            await using (var client = SandboxAccounts.Client(fixture.Server, user))
            {
                var second = await client.Sync("INBOX", new FileSyncStateStore(directory)).ToList();
                Assert.Equal(new[] { uids[2].Id }, Assert.Single(second.OfType<MessagesExpunged>()).Uids);
                var flags = Assert.Single(second.OfType<FlagsChanged>());
                Assert.Equal(uids[1].Id, flags.Uid);
                Assert.Contains("\\Flagged", flags.Flags);
                Assert.Equal(new[] { added.Id }, Assert.Single(second.OfType<MessagesArrived>()).Uids);

                var third = await client.Sync("INBOX", new FileSyncStateStore(directory)).ToList();
                Assert.Empty(third);
            }
        }
        finally
        {
            Directory.Delete(directory, true);
        }
    }

    [DovecotFact]
    public async Task Sync_FolderDeletedAndRecreated_EmitsResetAndResyncsFromScratch()
    {
        var user = await fixture.CreateUserAsync();
        await using var other = await SandboxClient.ConnectAsync(fixture.Server, user);
        var generator = new CorpusGenerator(31);
        await other.AppendAsync(SandboxFolders.Archive, generator.CreateSmallMessage(0));
        await other.AppendAsync(SandboxFolders.Archive, generator.CreateSmallMessage(1));
        var store = new InMemorySyncStateStore();
        await using var client = SandboxAccounts.Client(fixture.Server, user);
        await client.Sync(SandboxFolders.Archive, store).ToList();
        var oldValidity = await other.GetUidValidityAsync(SandboxFolders.Archive);

        var newValidity = await other.DeleteAndRecreateFolderAsync(SandboxFolders.Archive);
        var fresh = await other.AppendAsync(SandboxFolders.Archive, generator.CreateSmallMessage(2));
        var events = await client.Sync(SandboxFolders.Archive, store).ToList();

        var reset = Assert.IsType<UidValidityChanged>(events[0]);
        Assert.Equal(oldValidity, reset.OldValue);
        Assert.Equal(newValidity, reset.NewValue);
        var arrived = Assert.Single(events.OfType<MessagesArrived>());
        Assert.Equal(new[] { fresh.Id }, arrived.Uids);
        Assert.Equal(newValidity, arrived.UidValidity);
        Assert.Empty(events.OfType<MessagesExpunged>()); // old UIDs are never applied to the new folder
    }

    [DovecotFact]
    public async Task Sync_SubscriberThrows_CheckpointIsNotAdvanced()
    {
        var user = await fixture.CreateUserAsync();
        await using var other = await SandboxClient.ConnectAsync(fixture.Server, user);
        await other.AppendAsync("INBOX", new CorpusGenerator(32).CreateSmallMessage(0));
        var store = new InMemorySyncStateStore();
        await using var client = SandboxAccounts.Client(fixture.Server, user);

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await client.Sync("INBOX", store).Do(_ => throw new InvalidOperationException("crash while handling")).ToList());

        Assert.Null(await store.LoadAsync($"{client.Account.AccountKey}/INBOX"));
        var redelivered = await client.Sync("INBOX", store).ToList();
        Assert.Single(redelivered.OfType<MessagesArrived>());
    }
}
