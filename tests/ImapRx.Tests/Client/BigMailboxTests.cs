using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using ImapRx.Fetching;
using ImapRx.Sandbox.Server;
using ImapRx.Tests.Server;

namespace ImapRx.Tests.Client;

/// <summary>One big-mailbox run (small messages): counts match and memory follows the batch, not the folder.</summary>
[Collection(MemoryCollection.Name)]
public sealed class BigMailboxTests(DovecotFixture fixture, Xunit.Abstractions.ITestOutputHelper output)
{
    [DovecotFact]
    public async Task MessageBatches_HundredThousandMessages_StreamsAllWithMemoryBoundedByTheBatch()
    {
        var user = await fixture.CreateUserAsync();
        var writer = new MaildirWriter(fixture.Server);
        await writer.WriteAsync(user, "INBOX", new CorpusGenerator(100).GenerateSmall(100_000));
        await writer.WriteAsync(user, SandboxFolders.Archive, new CorpusGenerator(101).GenerateSmall(10_000));
        await using var client = SandboxAccounts.Client(fixture.Server, user);
        var options = new FetchOptions { BatchSize = 1000 };

        var (smallCount, smallPeak) = await StreamAsync(client, SandboxFolders.Archive, options);
        var (bigCount, bigPeak) = await StreamAsync(client, "INBOX", options);

        output.WriteLine($"peak live heap: 10k folder {smallPeak:N0} B, 100k folder {bigPeak:N0} B");
        Assert.Equal(10_000, smallCount);
        Assert.Equal(100_000, bigCount);

        // Ten times the messages must not mean ten times the memory: the UID list grows (4 bytes a message),
        // the summaries do not. Generous bound for GC noise; holding the folder would be ~10x.
        Assert.True(bigPeak < smallPeak * 2 + 16_000_000, $"peak live heap {bigPeak:N0} B for 100k vs {smallPeak:N0} B for 10k");
    }

    private static async Task<(long Count, long PeakLiveBytes)> StreamAsync(ImapRxClient client, string folder, FetchOptions options)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var baseline = GC.GetTotalMemory(true);
        long peak = 0;
        long count = 0;
        var batches = 0;
        await client.MessageBatches(folder, options).Do(batch =>
        {
            count += batch.Count;
            if (++batches % 10 == 0)
            {
                // Live bytes after a full collection: what the stream actually holds on to.
                peak = Math.Max(peak, GC.GetTotalMemory(true) - baseline);
            }
        }).LastOrDefaultAsync().ToTask();
        return (count, peak);
    }
}
