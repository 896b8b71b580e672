using ImapRx.Sandbox.Server;
using MailKit;

namespace ImapRx.Tests.Server;

[Collection(DovecotCollection.Name)]
public sealed class MaildirWriterTests(DovecotFixture fixture)
{
    private static readonly CorpusGenerator Generator = new(seed: 11);

    [DovecotFact]
    public async Task WriteAsync_Corpus_EveryEnvelopeMatchesItsExpectations()
    {
        var user = await fixture.CreateUserAsync();
        var corpus = Generator.Generate(120).ToArray();

        var result = await new MaildirWriter(fixture.Server).WriteAsync(user, SandboxFolders.ProjectsQ1, corpus);
        using var client = await SandboxImap.LogInAsync(fixture.Server, user);
        var folder = await client.GetFolderAsync(SandboxFolders.ProjectsQ1);
        await folder.OpenAsync(FolderAccess.ReadOnly);
        var summaries = await folder.FetchAsync(0, -1,
            MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope | MessageSummaryItems.Flags | MessageSummaryItems.InternalDate);

        Assert.Equal(120, result.Count);
        Assert.Equal(corpus.Length, summaries.Count);
        for (var i = 0; i < corpus.Length; i++)
        {
            CorpusAssert.EnvelopeMatches(corpus[i], summaries[i]);
        }

        Assert.Equal(summaries.Select(s => s.UniqueId).Order(), summaries.Select(s => s.UniqueId));
    }

    [DovecotFact]
    public async Task WriteAsync_Corpus_EveryFullMessageMatchesItsExpectations()
    {
        var user = await fixture.CreateUserAsync();
        var corpus = Generator.Generate(60, startIndex: 200).ToArray();

        await new MaildirWriter(fixture.Server).WriteAsync(user, SandboxFolders.NonAsciiJapanese, corpus);
        using var client = await SandboxImap.LogInAsync(fixture.Server, user);
        var folder = await client.GetFolderAsync(SandboxFolders.NonAsciiJapanese);
        await folder.OpenAsync(FolderAccess.ReadOnly);

        for (var i = 0; i < corpus.Length; i++)
        {
            var message = await folder.GetMessageAsync(i);
            CorpusAssert.MessageMatches(corpus[i], message);
        }
    }

    [DovecotFact]
    public async Task WriteAsync_SmallMessagesIntoInbox_AreCountedAndSearchable()
    {
        var user = await fixture.CreateUserAsync();

        var result = await new MaildirWriter(fixture.Server).WriteAsync(user, SandboxFolders.Inbox, Generator.GenerateSmall(2_000));
        using var client = await SandboxImap.LogInAsync(fixture.Server, user);
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var flagged = await client.Inbox.SearchAsync(MailKit.Search.SearchQuery.Flagged);
        var last = (await client.Inbox.FetchAsync(1_999, 1_999, MessageSummaryItems.Envelope | MessageSummaryItems.Headers)).Single();

        Assert.Equal(2_000, result.Count);
        Assert.Equal(2_000, client.Inbox.Count);
        Assert.Equal(200, flagged.Count);
        Assert.Equal("Small message 1999", last.Envelope!.Subject);
        Assert.Equal("1999", last.Headers![CorpusGenerator.IndexHeader]);
    }

    [DovecotFact]
    public async Task WriteAsync_TwiceIntoTheSameFolder_AppendsInOrder()
    {
        var user = await fixture.CreateUserAsync();
        var writer = new MaildirWriter(fixture.Server);

        await writer.WriteAsync(user, SandboxFolders.Archive, Generator.GenerateSmall(5));
        await writer.WriteAsync(user, SandboxFolders.Archive, Generator.GenerateSmall(5, startIndex: 5));
        using var client = await SandboxImap.LogInAsync(fixture.Server, user);
        var folder = await client.GetFolderAsync(SandboxFolders.Archive);
        await folder.OpenAsync(FolderAccess.ReadOnly);
        var subjects = (await folder.FetchAsync(0, -1, MessageSummaryItems.Envelope)).Select(s => s.Envelope!.Subject);

        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"Small message {i}"), subjects);
    }

    [DovecotFact]
    public async Task WriteAsync_FilesInCur_AreOwnedByTheMailOwnerWithFlagsInTheName()
    {
        var user = await fixture.CreateUserAsync();
        var message = Generator.CreateSmallMessage(30); // \Seen and \Flagged

        var result = await new MaildirWriter(fixture.Server).WriteAsync(user, SandboxFolders.WithSpace, new[] { message });
        var file = Directory.GetFiles(Path.Combine(result.Directory, "cur")).Single();

        Assert.EndsWith(":2,FS", file);
        Assert.Equal("nobody", Owner(file));
    }

    [DovecotFact]
    public async Task WriteAsync_MissingFolder_ThrowsArgumentException()
    {
        var user = await fixture.CreateUserAsync();

        await Assert.ThrowsAsync<ArgumentException>("folder",
            () => new MaildirWriter(fixture.Server).WriteAsync(user, "No/Such/Folder", Generator.GenerateSmall(1)));
    }

    [Theory]
    [InlineData(MessageFlags.None, "")]
    [InlineData(MessageFlags.Seen, "S")]
    [InlineData(MessageFlags.Seen | MessageFlags.Flagged | MessageFlags.Answered | MessageFlags.Draft | MessageFlags.Deleted, "DFRST")]
    [InlineData(MessageFlags.Answered | MessageFlags.Recent, "R")]
    public void FlagLetters_Flags_AreMaildirLettersInAsciiOrder(MessageFlags flags, string expected)
    {
        Assert.Equal(expected, MaildirWriter.FlagLetters(flags));
    }

    private static string Owner(string path)
    {
        var uid = new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%U", path]) { RedirectStandardOutput = true };
        using var process = System.Diagnostics.Process.Start(uid)!;
        var owner = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return owner;
    }
}
