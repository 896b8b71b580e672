using ImapRx.Sandbox.Server;
using MailKit;
using MimeKit;

namespace ImapRx.Tests.Server;

[Collection(DovecotCollection.Name)]
public sealed class SandboxClientTests(DovecotFixture fixture)
{
    private static readonly CorpusGenerator Generator = new(seed: 3);

    [DovecotFact]
    public async Task AppendAsync_Message_ReturnsTheUidItIsStoredUnder()
    {
        var user = await fixture.CreateUserAsync();
        await using var other = await SandboxClient.ConnectAsync(fixture.Server, user);

        var first = await other.AppendAsync(SandboxFolders.Inbox, Generator.CreateMessage(1));
        var second = await other.AppendAsync(SandboxFolders.Inbox, Generator.CreateMessage(2));
        using var client = await SandboxImap.LogInAsync(fixture.Server, user);
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var stored = await client.Inbox.FetchAsync(new[] { second }, MessageSummaryItems.Envelope | MessageSummaryItems.Flags | MessageSummaryItems.InternalDate);

        Assert.True(second > first);
        CorpusAssert.EnvelopeMatches(Generator.CreateMessage(2), stored.Single());
    }

    [DovecotFact]
    public async Task AppendAsync_MimeMessageWithFlags_IsStoredWithThoseFlags()
    {
        var user = await fixture.CreateUserAsync();
        await using var other = await SandboxClient.ConnectAsync(fixture.Server, user);
        var message = new MimeMessage { Subject = "Plain MimeMessage", Body = new TextPart("plain") { Text = "hello" } };
        message.From.Add(new MailboxAddress("A", "a@example.com"));

        var uid = await other.AppendAsync(SandboxFolders.Drafts, message, MessageFlags.Draft | MessageFlags.Seen);
        using var client = await SandboxImap.LogInAsync(fixture.Server, user);
        var drafts = await client.GetFolderAsync(SandboxFolders.Drafts);
        await drafts.OpenAsync(FolderAccess.ReadOnly);
        var stored = (await drafts.FetchAsync(new[] { uid }, MessageSummaryItems.Flags | MessageSummaryItems.Envelope)).Single();

        Assert.Equal("Plain MimeMessage", stored.Envelope!.Subject);
        Assert.Equal(MessageFlags.Draft | MessageFlags.Seen, stored.Flags!.Value & ~MessageFlags.Recent);
    }

    [DovecotFact]
    public async Task AddAndRemoveFlagsAsync_Uid_AreSeenByAnotherSession()
    {
        var user = await fixture.CreateUserAsync();
        await using var other = await SandboxClient.ConnectAsync(fixture.Server, user);
        var uid = await other.AppendAsync(SandboxFolders.Inbox, Generator.CreateSmallMessage(1)); // no flags

        await other.AddFlagsAsync(SandboxFolders.Inbox, new[] { uid }, MessageFlags.Flagged | MessageFlags.Seen);
        await other.RemoveFlagsAsync(SandboxFolders.Inbox, new[] { uid }, MessageFlags.Seen);
        using var client = await SandboxImap.LogInAsync(fixture.Server, user);
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var stored = (await client.Inbox.FetchAsync(new[] { uid }, MessageSummaryItems.Flags)).Single();

        Assert.Equal(MessageFlags.Flagged, stored.Flags!.Value & ~MessageFlags.Recent);
    }

    [DovecotFact]
    public async Task ExpungeAsync_OneOfThree_RemovesExactlyThatOne()
    {
        var user = await fixture.CreateUserAsync();
        await using var other = await SandboxClient.ConnectAsync(fixture.Server, user);
        var uids = new List<UniqueId>();
        foreach (var message in Generator.GenerateSmall(3))
        {
            uids.Add(await other.AppendAsync(SandboxFolders.Inbox, message));
        }

        await other.ExpungeAsync(SandboxFolders.Inbox, new[] { uids[1] });
        var remaining = await other.GetUidsAsync(SandboxFolders.Inbox);

        Assert.Equal(new[] { uids[0], uids[2] }, remaining);
    }

    [DovecotFact]
    public async Task DeleteAndRecreateFolderAsync_FolderWithMail_ChangesUidValidityAndEmptiesIt()
    {
        var user = await fixture.CreateUserAsync();
        await using var other = await SandboxClient.ConnectAsync(fixture.Server, user);
        await other.AppendAsync(SandboxFolders.ProjectsQ2, Generator.CreateSmallMessage(1));
        var before = await other.GetUidValidityAsync(SandboxFolders.ProjectsQ2);

        var after = await other.DeleteAndRecreateFolderAsync(SandboxFolders.ProjectsQ2);

        Assert.NotEqual(before, after);
        Assert.Equal(after, await other.GetUidValidityAsync(SandboxFolders.ProjectsQ2));
        Assert.Empty(await other.GetUidsAsync(SandboxFolders.ProjectsQ2));
    }

    [DovecotFact]
    public async Task CreateFolderAsync_NestedNonAsciiName_CreatesParentsAndSubscribes()
    {
        var user = await fixture.CreateUserAsync();
        await using var other = await SandboxClient.ConnectAsync(fixture.Server, user);

        await other.CreateFolderAsync("Neu/Ordner äöü/子");
        using var client = await SandboxImap.LogInAsync(fixture.Server, user);
        var created = await client.GetFolderAsync("Neu/Ordner äöü/子");
        var subscribed = await (await client.GetFolderAsync("Neu/Ordner äöü")).GetSubfoldersAsync(subscribedOnly: true);

        Assert.Equal("子", created.Name);
        Assert.Contains(subscribed, f => f.FullName == "Neu/Ordner äöü/子");
    }

    [DovecotFact]
    public async Task DeleteFolderAsync_Folder_IsGone()
    {
        var user = await fixture.CreateUserAsync();
        await using var other = await SandboxClient.ConnectAsync(fixture.Server, user);

        await other.DeleteFolderAsync(SandboxFolders.WithSpace);
        using var client = await SandboxImap.LogInAsync(fixture.Server, user);

        await Assert.ThrowsAsync<FolderNotFoundException>(() => client.GetFolderAsync(SandboxFolders.WithSpace));
    }
}
