using ImapRx.Sandbox.Server;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;

namespace ImapRx.Tests.Server;

[Collection(DovecotCollection.Name)]
public sealed class SandboxFoldersTests(DovecotFixture fixture)
{
    [DovecotTheory]
    [InlineData(SandboxFolders.Sent, FolderAttributes.Sent)]
    [InlineData(SandboxFolders.Drafts, FolderAttributes.Drafts)]
    [InlineData(SandboxFolders.Trash, FolderAttributes.Trash)]
    [InlineData(SandboxFolders.Junk, FolderAttributes.Junk)]
    [InlineData(SandboxFolders.Archive, FolderAttributes.Archive)]
    public async Task CreateUser_SpecialUseFolder_HasItsAttributeAndIsSubscribed(string name, FolderAttributes attribute)
    {
        using var client = await LogInAsync();

        var folder = client.GetFolder(ToSpecialFolder(attribute));

        Assert.NotNull(folder);
        Assert.Equal(name, folder.FullName);
        Assert.True(folder.Attributes.HasFlag(attribute));
        var subscribed = await client.GetFolder(client.PersonalNamespaces[0]).GetSubfoldersAsync(subscribedOnly: true);
        Assert.Contains(subscribed, f => f.FullName == name);
    }

    [DovecotFact]
    public async Task CreateUser_Folders_AreAllSelectableWithTheirExactNames()
    {
        using var client = await LogInAsync();

        foreach (var name in SandboxFolders.All)
        {
            var folder = await client.GetFolderAsync(name);
            await folder.OpenAsync(FolderAccess.ReadOnly);

            Assert.Equal(name, folder.FullName);
            Assert.Equal(0, folder.Count);
        }
    }

    [DovecotFact]
    public async Task CreateUser_NonAsciiAndSpacedNames_AreListedDecoded()
    {
        using var client = await LogInAsync();

        var names = (await client.GetFolder(client.PersonalNamespaces[0]).GetSubfoldersAsync()).Select(f => f.Name).ToArray();

        Assert.Contains("Entwürfe", names);
        Assert.Contains("日本語", names);
        Assert.Contains("Folder With Space", names);
    }

    [DovecotFact]
    public async Task CreateUser_NestedHierarchy_UsesSlashSeparatorAndHasChildren()
    {
        using var client = await LogInAsync();

        var year = await client.GetFolderAsync(SandboxFolders.Projects2026);
        var quarters = await year.GetSubfoldersAsync();

        Assert.Equal(SandboxFolders.Separator, year.DirectorySeparator);
        Assert.True(year.Attributes.HasFlag(FolderAttributes.HasChildren));
        Assert.Equal(new[] { SandboxFolders.ProjectsQ1, SandboxFolders.ProjectsQ2 }, quarters.Select(f => f.FullName).Order());
    }

    [DovecotFact]
    public async Task CreateUser_TwoUsers_HaveSeparateMailboxes()
    {
        var first = await fixture.CreateUserAsync();
        var second = await fixture.CreateUserAsync();
        await using (var other = await SandboxClient.ConnectAsync(fixture.Server, first))
        {
            await other.AppendAsync(SandboxFolders.Inbox, new CorpusGenerator().CreateSmallMessage(0));
        }

        using var client = await LogInAsync(second);
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly);

        Assert.NotEqual(first.Name, second.Name);
        Assert.Equal(0, client.Inbox.Count);
    }

    [DovecotFact]
    public async Task CreateUser_ExplicitName_IsUsedAndCanLogIn()
    {
        var name = "named-" + Guid.NewGuid().ToString("N")[..8];

        var user = await fixture.Server.CreateUserAsync(name);
        using var client = await LogInAsync(user);

        Assert.Equal(name, user.Name);
        Assert.True(client.IsAuthenticated);
    }

    [DovecotFact]
    public async Task CreateUser_DuplicateName_ThrowsArgumentException()
    {
        var user = await fixture.CreateUserAsync();

        await Assert.ThrowsAsync<ArgumentException>("name", () => fixture.Server.CreateUserAsync(user.Name));
    }

    [DovecotTheory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("with space")]
    [InlineData("colon:name")]
    public async Task CreateUser_InvalidName_ThrowsArgumentException(string name)
    {
        await Assert.ThrowsAsync<ArgumentException>("name", () => fixture.Server.CreateUserAsync(name));
    }

    [DovecotFact]
    public async Task SandboxUser_ToString_ShowsTheNameButNotThePassword()
    {
        var user = await fixture.CreateUserAsync();

        Assert.Equal(user.Name, user.ToString());
        Assert.DoesNotContain(user.Password, user.ToString());
    }

    private async Task<ImapClient> LogInAsync(SandboxUser? user = null)
    {
        user ??= await fixture.CreateUserAsync();
        var client = new ImapClient();
        await client.ConnectAsync(fixture.Server.Host, fixture.Server.PlainPort, SecureSocketOptions.None);
        await client.AuthenticateAsync(user.Name, user.Password);
        return client;
    }

    private static SpecialFolder ToSpecialFolder(FolderAttributes attribute) => attribute switch
    {
        FolderAttributes.Sent => SpecialFolder.Sent,
        FolderAttributes.Drafts => SpecialFolder.Drafts,
        FolderAttributes.Trash => SpecialFolder.Trash,
        FolderAttributes.Junk => SpecialFolder.Junk,
        FolderAttributes.Archive => SpecialFolder.Archive,
        _ => throw new ArgumentOutOfRangeException(nameof(attribute)),
    };
}
