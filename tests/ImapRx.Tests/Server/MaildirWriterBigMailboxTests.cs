using System.Diagnostics;
using ImapRx.Sandbox.Server;
using MailKit;
using Xunit.Abstractions;

namespace ImapRx.Tests.Server;

[Collection(DovecotCollection.Name)]
public sealed class MaildirWriterBigMailboxTests(DovecotFixture fixture, ITestOutputHelper output)
{
    [DovecotFact]
    public async Task WriteAsync_100000SmallMessages_AreAllInTheIndexedInbox()
    {
        const int count = 100_000;
        var user = await fixture.CreateUserAsync();

        var result = await new MaildirWriter(fixture.Server).WriteAsync(user, SandboxFolders.Inbox, new CorpusGenerator().GenerateSmall(count));
        using var client = await SandboxImap.LogInAsync(fixture.Server, user);
        var select = Stopwatch.StartNew();
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
        select.Stop();
        var last = (await client.Inbox.FetchAsync(count - 1, count - 1, MessageSummaryItems.Envelope | MessageSummaryItems.UniqueId)).Single();

        // Timings are reported, not asserted: the benchmark owns speed.
        output.WriteLine($"{result}; first SELECT {select.ElapsedMilliseconds} ms");
        Assert.Equal(count, result.Count);
        Assert.Equal(count, client.Inbox.Count);
        Assert.Equal((uint)count, last.UniqueId.Id);
        Assert.Equal($"Small message {count - 1}", last.Envelope!.Subject);
    }
}
