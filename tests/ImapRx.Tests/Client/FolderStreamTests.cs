using System.Reactive.Linq;
using ImapRx.Configuration;
using ImapRx.Model;
using ImapRx.Sandbox.Server;
using ImapRx.Tests.Server;

namespace ImapRx.Tests.Client;

[Collection(DovecotCollection.Name)]
public sealed class FolderStreamTests(DovecotFixture fixture)
{
    [DovecotFact]
    public async Task Folders_NewUser_ListsEveryFolderWithTypeAndDelimiter()
    {
        var user = await fixture.CreateUserAsync();
        await using var client = SandboxAccounts.Client(fixture.Server, user);

        var folders = (await client.GetFoldersAsync()).ToDictionary(f => f.FullName);

        Assert.Equal(MailFolderType.Inbox, folders["INBOX"].Type);
        Assert.Equal(MailFolderType.Sent, folders[SandboxFolders.Sent].Type);
        Assert.Equal(MailFolderType.Drafts, folders[SandboxFolders.Drafts].Type);
        Assert.Equal(MailFolderType.Trash, folders[SandboxFolders.Trash].Type);
        Assert.Equal(MailFolderType.Spam, folders[SandboxFolders.Junk].Type);
        Assert.Equal(MailFolderType.Archive, folders[SandboxFolders.Archive].Type);
        Assert.Contains("\\Sent", folders[SandboxFolders.Sent].Attributes);
        Assert.Equal(MailFolderType.Custom, folders[SandboxFolders.WithSpace].Type);
        Assert.Equal("Q1", folders[SandboxFolders.ProjectsQ1].DisplayName);
        Assert.Equal('/', folders[SandboxFolders.ProjectsQ1].Delimiter);
        Assert.Contains(SandboxFolders.NonAsciiGerman, folders.Keys);
        Assert.Contains(SandboxFolders.NonAsciiJapanese, folders.Keys);
        Assert.All(folders.Values.Where(f => f.IsSelectable), f => Assert.NotEqual(0u, f.UidValidity));
    }

    [DovecotFact]
    public async Task Folders_AfterAppends_CountsTotalAndUnread()
    {
        var user = await fixture.CreateUserAsync();
        await using (var other = await SandboxClient.ConnectAsync(fixture.Server, user))
        {
            var corpus = new CorpusGenerator(3).GenerateSmall(3).ToList();
            await other.AppendAsync(SandboxFolders.NonAsciiGerman, corpus[0].ToMimeMessage(), MailKit.MessageFlags.Seen);
            await other.AppendAsync(SandboxFolders.NonAsciiGerman, corpus[1].ToMimeMessage());
            await other.AppendAsync(SandboxFolders.NonAsciiGerman, corpus[2].ToMimeMessage());
        }

        await using var client = SandboxAccounts.Client(fixture.Server, user);
        var folder = await client.GetFolderAsync(SandboxFolders.NonAsciiGerman);

        Assert.Equal(3, folder.TotalCount);
        Assert.Equal(2, folder.UnreadCount);
        Assert.Equal(4u, folder.UidNext);
        Assert.NotNull(folder.HighestModSeq);
        Assert.Equal(folder.UidValidity, await client.GetUidValidityAsync(SandboxFolders.NonAsciiGerman));
    }

    [DovecotFact]
    public async Task Folder_Missing_RaisesFolderNotFound()
    {
        var user = await fixture.CreateUserAsync();
        await using var client = SandboxAccounts.Client(fixture.Server, user);

        var error = await Assert.ThrowsAsync<ImapFolderNotFoundException>(() => client.GetFolderAsync("No/Such/Folder"));
        Assert.Equal("No/Such/Folder", error.Folder);
        var fetchError = await Assert.ThrowsAsync<ImapFolderNotFoundException>(() => client.GetMessagesAsync("Nope"));
        Assert.Contains("'Nope'", fetchError.Message);

        // The connection survived the NO: the pool still works and holds no lease.
        Assert.NotEmpty(await client.GetFoldersAsync());
        Assert.Equal(0, client.Pool.GetStatistics(client.Account).LeasesInUse);
    }

    [DovecotTheory]
    [InlineData(ImapEncryption.None)]
    [InlineData(ImapEncryption.StartTls)]
    [InlineData(ImapEncryption.Tls)]
    public async Task Folders_EachEncryptionMode_Works(ImapEncryption encryption)
    {
        var user = await fixture.CreateUserAsync();
        await using var client = SandboxAccounts.Client(fixture.Server, user, encryption);

        var folders = await client.GetFoldersAsync();

        Assert.Contains(folders, f => f.Type == MailFolderType.Inbox);
    }

    [DovecotFact]
    public async Task Folders_TlsWithoutTrustingTheCa_IsRefusedByDefault()
    {
        var user = await fixture.CreateUserAsync();
        var account = new ImapAccountOptions(fixture.Server.Host, user.Name, ImapCredential.FromPassword(user.Password))
        {
            Port = fixture.Server.TlsPort,
            MaxRetries = 0,
        };
        await using var client = new ImapRxClient(account);

        await Assert.ThrowsAsync<ImapCertificateException>(() => client.GetFoldersAsync());
    }

    [Fact]
    public void Folder_NameWithLineBreak_ThrowsAtCallTime()
    {
        var account = new ImapAccountOptions("127.0.0.1", "u", ImapCredential.FromPassword("p"));
        var client = new ImapRxClient(account);

        var error = Assert.Throws<ArgumentException>(() => client.Folder("INBOX\r\nA1 DELETE INBOX"));
        Assert.Equal("folder", error.ParamName);
    }
}
