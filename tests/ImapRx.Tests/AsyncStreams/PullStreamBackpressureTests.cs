using ImapRx.Fetching;
using ImapRx.Sandbox.Faults;
using ImapRx.Sandbox.Server;
using ImapRx.Tests.Server;

namespace ImapRx.Tests.AsyncStreams;

/// <summary>
/// The case: a consumer that sleeps in the middle of a 20,000-message fetch. The server must stop within
/// about a batch and the heap must not grow while it sleeps. Runs alone (it reads the process's heap).
/// </summary>
[Collection(MemoryCollection.Name)]
public sealed class PullStreamBackpressureTests(DovecotFixture fixture, Xunit.Abstractions.ITestOutputHelper output)
{
    [DovecotFact]
    public async Task EnumerateMessagesAsync_ConsumerSleepsDuring20000MessageFetch_ServerStopsWithinABatchAndTheHeapStaysFlat()
    {
        const int count = 20_000;
        const int batchSize = 500;
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, "INBOX", new CorpusGenerator(186) { MalformedInterval = 0 }.GenerateSmall(count));
        await using var proxy = new FaultProxy(fixture.Server.PlainPort);
        await using var client = new ImapRxClient(PullStreamTests.ThroughProxy(proxy, user));
        var uids = new List<uint>(count);
        long bytesAtSleep = 0, bytesAfterSleep = 0, bytesAfterLongerSleep = 0, heapAtSleep = 0, heapAfterSleep = 0;

        await foreach (var message in client.EnumerateMessagesAsync("INBOX", new FetchOptions { BatchSize = batchSize }))
        {
            uids.Add(message.Uid);
            if (uids.Count == (4 * batchSize) + 1)
            {
                bytesAtSleep = proxy.BytesFromServer;
                heapAtSleep = GC.GetTotalMemory(true);
                bytesAfterSleep = await PullStreamTests.QuietBytesAsync(proxy);
                await Task.Delay(TimeSpan.FromSeconds(1));
                bytesAfterLongerSleep = proxy.BytesFromServer;
                heapAfterSleep = GC.GetTotalMemory(true);
            }
        }

        var total = proxy.BytesFromServer;
        var perBatch = total / (count / batchSize);
        output.WriteLine($"server bytes: {total:N0} in all, ~{perBatch:N0} a batch; {bytesAfterSleep - bytesAtSleep:N0} while the consumer slept; " +
            $"heap {heapAtSleep:N0} B at the sleep, {heapAfterSleep:N0} B after it ({heapAfterSleep - heapAtSleep:N0} B)");
        Assert.Equal(Enumerable.Range(1, count).Select(i => (uint)i), uids);

        // While the consumer sleeps in batch 5, the fetch finishes batch 6 at most, then sends nothing at all.
        Assert.True(bytesAfterSleep - bytesAtSleep <= 2 * perBatch, $"{bytesAfterSleep - bytesAtSleep:N0} B while sleeping, a batch is ~{perBatch:N0} B");
        Assert.Equal(bytesAfterSleep, bytesAfterLongerSleep);
        Assert.True(bytesAfterSleep < total / 4, $"the fetch ran ahead: {bytesAfterSleep:N0} of {total:N0} B sent by the end of the sleep");

        // The heap holds a batch or two, not the remaining ~18,000 summaries (several times this bound).
        const long heapBound = 4_000_000;
        Assert.True(heapAfterSleep - heapAtSleep < heapBound, $"the heap grew {heapAfterSleep - heapAtSleep:N0} B while the consumer slept");

        // The control, side by side: the observable drained into an unbounded queue (what ToAsyncEnumerable over an
        // IObservable does) runs to the end of the folder while the same consumer sleeps at the same place. It is
        // counted from its subscription, not from the sleep: unpaced, the fetch may well be over before the
        // consumer has read its first 2,001 messages, and that is the point of the control.
        var (unpacedBytes, unpacedHeap) = await SleepOverUnboundedBufferAsync(client, proxy, (4 * batchSize) + 1, batchSize);
        output.WriteLine($"unbounded buffer: {unpacedBytes:N0} B sent and the heap grew {unpacedHeap:N0} B from its subscription to the end of the sleep; " +
            $"paced {bytesAfterSleep:N0} B by the end of its sleep ({(double)bytesAfterSleep / unpacedBytes:P1} of the unbounded)");
        Assert.True(unpacedBytes > 3 * bytesAfterSleep, "the control did not run ahead: the measurement cannot tell paced from unpaced");
        Assert.True(unpacedHeap > 3 * heapBound / 2, $"the control's heap grew only {unpacedHeap:N0} B: the heap bound cannot tell paced from unpaced");
    }

    private static async Task<(long Bytes, long Heap)> SleepOverUnboundedBufferAsync(ImapRxClient client, FaultProxy proxy, int readBeforeSleep, int batchSize)
    {
        var bytesAtSubscribe = proxy.BytesFromServer;
        var heapAtSubscribe = GC.GetTotalMemory(true);
        var buffered = new System.Collections.Concurrent.ConcurrentQueue<ImapRx.Model.MailMessageInfo>();
        using var subscription = client.Messages("INBOX", new FetchOptions { BatchSize = batchSize }).Subscribe(m => buffered.Enqueue(m));
        var read = 0;
        while (read < readBeforeSleep)
        {
            if (buffered.TryDequeue(out _))
            {
                read++;
            }
            else
            {
                await Task.Delay(1);
            }
        }

        var bytesAfterSleep = await PullStreamTests.QuietBytesAsync(proxy);
        var heapAfterSleep = GC.GetTotalMemory(true);
        GC.KeepAlive(buffered);
        return (bytesAfterSleep - bytesAtSubscribe, heapAfterSleep - heapAtSubscribe);
    }
}
