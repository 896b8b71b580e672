using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using ImapRx.Fetching;
using ImapRx.Model;
using ImapRx.Operations;
using ImapRx.Sandbox.Faults;
using ImapRx.Sandbox.Server;
using ImapRx.Tests.Server;
using ImapRx.Tests.Wire;
using static ImapRx.Tests.Operations.SummaryReaderTests;

namespace ImapRx.Tests.Operations;

/// <summary>
/// The native reader with <see cref="FetchOptions.MaxParallelism"/> above 1: several bulk sessions read batches
/// side by side, and the batches still come out in UID order, each message once, equal to the MailKit path's.
/// </summary>
// In the collection of the other native-reader tests: some of them count the reader's process-wide metrics exactly.
[Collection(DovecotCollection.Name)]
public sealed class NativeParallelFetchTests(DovecotFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [DovecotFact]
    public async Task Messages_ThreeBulkSessions_EqualToMailKitFieldByFieldInUidOrder()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, SandboxFolders.Inbox, new CorpusGenerator(60).Generate(1_000));
        await using var client = SandboxAccounts.Client(fixture.Server, user, maxConnections: 4);

        var mailKit = await client.GetMessagesAsync(SandboxFolders.Inbox, new FetchOptions { BatchSize = 70 });
        var native = await client.MessageBatches(SandboxFolders.Inbox, new FetchOptions { UseNativeReader = true, MaxParallelism = 3, BatchSize = 70 })
            .ToList().ToTask().WaitAsync(Patience);

        Assert.Equal(1_000, mailKit.Count);
        InfoAssert.Equal(mailKit.ToList(), native.SelectMany(b => b).ToList());

        // Batch by batch, as planned: 70 UIDs each, the last one the rest.
        Assert.Equal(Enumerable.Repeat(70, 14).Append(20), native.Select(b => b.Count));
        Assert.Equal(0, client.Pool.GetStatistics(client.Account).LeasesInUse);
    }

    [DovecotFact]
    public async Task MessageBatches_FirstBatchHeld_OtherSessionsReadOnButNothingIsEmittedOutOfOrder()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, SandboxFolders.Inbox, new CorpusGenerator(61).Generate(300));
        await using var proxy = new FaultProxy(fixture.Server.PlainPort);
        await using var client = new ImapRxClient(NativeFetchSessionLimitTests.ThroughProxy(proxy, user, maxConnections: 4));

        // The answer to the first batch (UIDs 1-50) stalls; the second and third sessions read theirs meanwhile.
        var hold = proxy.HoldOnPattern(Direction.ServerToClient, "* 10 FETCH", TimeSpan.FromSeconds(6));
        var received = new List<IReadOnlyList<MailMessageInfo>>();
        var completed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = client.MessageBatches(SandboxFolders.Inbox, new FetchOptions { UseNativeReader = true, MaxParallelism = 3, BatchSize = 50 })
            .Subscribe(b => { lock (received) { received.Add(b); } }, ex => completed.TrySetException(ex), () => completed.TrySetResult());
        await hold.WhenFired.WaitAsync(Patience);

        // Three bulk sessions open at once (the first planned the fetch: no pooled MailKit connection was needed).
        Assert.Equal(3, await fixture.Server.WaitForConnectionsAsync(3, user.Name, Patience));
        lock (received)
        {
            Assert.Empty(received);
        }

        await completed.Task.WaitAsync(Patience);
        Assert.Equal(Enumerable.Range(1, 300).Select(i => (uint)i), received.SelectMany(b => b).Select(m => m.Uid));
        Assert.All(received, b => Assert.Equal(50, b.Count));
        Assert.Equal(0, client.Pool.GetStatistics(client.Account).LeasesInUse);
    }

    [DovecotFact]
    public async Task Messages_PoolHeldByAnotherLease_RunsOnTheSlotsThereAreAndNeverPassesTheLimit()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, SandboxFolders.Inbox, new CorpusGenerator(62).Generate(200));
        await using var client = SandboxAccounts.Client(fixture.Server, user, ImapRx.Configuration.ImapEncryption.None, maxConnections: 2);

        // A lease held for the whole fetch (a watch, a long search): one slot is left, so one bulk session at a
        // time; asking for four must not wait for slots the fetch itself holds.
        await using var held = await client.Pool.LeaseAsync(client.Account);
        using var sampling = new CancellationTokenSource();
        var sampler = NativeFetchSessionLimitTests.SampleAsync(fixture.Server, user, sampling.Token);

        var uids = await client.Messages(SandboxFolders.Inbox, new FetchOptions { UseNativeReader = true, MaxParallelism = 4, BatchSize = 20 })
            .Select(m => m.Uid).ToList().ToTask().WaitAsync(Patience);
        await sampling.CancelAsync();
        var (serverMax, samples) = await sampler;

        Assert.Equal(Enumerable.Range(1, 200).Select(i => (uint)i), uids);
        Assert.True(samples >= 3, $"only {samples} samples of the server's count");
        Assert.True(serverMax <= 2, $"Dovecot counted {serverMax} sessions at once with MaxConnections = 2");
    }

    [DovecotFact]
    public async Task MessageBatches_CutInOneOfThreeSessions_ResumesAfterTheLastUidEmittedEachMessageOnce()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, SandboxFolders.Inbox, new CorpusGenerator(63).Generate(400));
        await using var proxy = new FaultProxy(fixture.Server.PlainPort);
        await using var client = new ImapRxClient(NativeFetchSessionLimitTests.ThroughProxy(proxy, user, maxConnections: 4));

        // UID 130 is in the third batch, read by the third session while the first two read theirs.
        var cut = proxy.CutOnPattern(Direction.ServerToClient, "* 130 FETCH");
        var batches = await client.MessageBatches(SandboxFolders.Inbox, new FetchOptions { UseNativeReader = true, MaxParallelism = 3, BatchSize = 50 })
            .Select(b => b.Select(m => m.Uid).ToList()).ToList().ToTask().WaitAsync(Patience);

        Assert.Equal(1, cut.FiredCount);
        Assert.Equal(Enumerable.Range(1, 400).Select(i => (uint)i), batches.SelectMany(b => b));
        Assert.Equal(0, client.Pool.GetStatistics(client.Account).LeasesInUse);
    }

    [DovecotFact]
    public async Task Messages_BatchesRejectedOnEverySession_FetchedThroughMailKitWithinTheLimit()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, SandboxFolders.Inbox, new CorpusGenerator(64).Generate(300));
        await using var proxy = new FaultProxy(fixture.Server.PlainPort);
        await using var client = new ImapRxClient(NativeFetchSessionLimitTests.ThroughProxy(proxy, user, maxConnections: 2));
        var expected = await client.GetMessagesAsync(SandboxFolders.Inbox, new FetchOptions { BatchSize = 300 });

        // The second UID FETCH of every bulk session that did not plan the fetch gets BAD (the planning session's
        // W7 is its UID SEARCH). The pool has no slot beyond the two bulk sessions, so the
        // MailKit fetch of a rejected batch can only lease once the fetch has let go of them.
        var reject = proxy.Rewrite(Direction.ClientToServer, "W7 UID FETCH", "W7 UID FETCX");
        using var fallbacks = new CounterListener(NativeFetchDiagnostics.FallbacksName);
        using var sampling = new CancellationTokenSource();
        var sampler = NativeFetchSessionLimitTests.SampleAsync(fixture.Server, user, sampling.Token);

        var native = await client.GetMessagesAsync(SandboxFolders.Inbox, new FetchOptions { UseNativeReader = true, MaxParallelism = 2, BatchSize = 25 })
            .WaitAsync(Patience);
        await sampling.CancelAsync();
        var (serverMax, _) = await sampler;

        InfoAssert.Equal(expected.ToList(), native.ToList());
        Assert.True(reject.RewrittenCount >= 2, $"{reject.RewrittenCount} batches rejected");
        Assert.True(fallbacks.Total >= 2, $"{fallbacks.Total} fallbacks counted");
        Assert.True(serverMax <= 2, $"Dovecot counted {serverMax} sessions at once with MaxConnections = 2");
        Assert.Equal(0, client.Pool.GetStatistics(client.Account).LeasesInUse);
    }

    [DovecotFact]
    public async Task Messages_DisposedWhileThreeSessionsRead_EverySessionEndsAndNothingAfterTheHeldBatch()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, SandboxFolders.Inbox, new CorpusGenerator(65).Generate(300));
        await using var proxy = new FaultProxy(fixture.Server.PlainPort);
        await using var client = new ImapRxClient(NativeFetchSessionLimitTests.ThroughProxy(proxy, user, maxConnections: 4));

        // The second batch's answer is held far longer than the test waits: only the dispose can end it.
        var hold = proxy.HoldOnPattern(Direction.ServerToClient, "* 60 FETCH", TimeSpan.FromMinutes(5));
        var received = new List<uint>();
        var subscription = client.Messages(SandboxFolders.Inbox, new FetchOptions { UseNativeReader = true, MaxParallelism = 3, BatchSize = 50 })
            .Subscribe(m => { lock (received) { received.Add(m.Uid); } });
        await hold.WhenFired.WaitAsync(Patience);
        Assert.Equal(3, await fixture.Server.WaitForConnectionsAsync(3, user.Name, Patience));

        subscription.Dispose();

        Assert.Equal(0, await fixture.Server.WaitForConnectionsAsync(0, user.Name, TimeSpan.FromSeconds(30)));
        Assert.Equal(new ImapRx.Pooling.ImapPoolStatistics(OpenConnections: 0, LeasesInUse: 0, IdleConnections: 0), client.Pool.GetStatistics(client.Account));
        lock (received)
        {
            Assert.Equal(Enumerable.Range(1, 50).Select(i => (uint)i), received);
        }

        proxy.ClearFaults();
    }

    [DovecotTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task MessageContents_ThreeBulkSessions_SameBytesAsMailKitInUidOrder(bool pull)
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, SandboxFolders.Inbox, new CorpusGenerator(66).Generate(150));
        await using var client = SandboxAccounts.Client(fixture.Server, user, maxConnections: 4);
        var options = new FetchOptions { UseNativeReader = true, MaxParallelism = 3, BatchSize = 11, SinceUid = 5, Limit = 120 };

        var expected = await client.GetMessageContentsAsync(SandboxFolders.Inbox, new FetchOptions { BatchSize = 11, SinceUid = 5, Limit = 120 });
        var native = new List<MailMessageContent>();
        if (pull)
        {
            await foreach (var content in client.EnumerateMessageContentsAsync(SandboxFolders.Inbox, options))
            {
                native.Add(content);
            }
        }
        else
        {
            native.AddRange(await client.GetMessageContentsAsync(SandboxFolders.Inbox, options));
        }

        Assert.Equal(Enumerable.Range(6, 120).Select(i => (uint)i), native.Select(m => m.Uid));
        Assert.Equal(expected.Select(m => m.Uid), native.Select(m => m.Uid));
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].UidValidity, native[i].UidValidity);
            Assert.True(expected[i].Data.Span.SequenceEqual(native[i].Data.Span), $"UID {expected[i].Uid}: bytes differ");
        }

        Assert.Equal(0, client.Pool.GetStatistics(client.Account).LeasesInUse);
    }
    [DovecotTheory]
    [InlineData(SandboxFolders.Sent)]
    [InlineData(SandboxFolders.Drafts)]
    [InlineData(SandboxFolders.Junk)]
    [InlineData(SandboxFolders.ProjectsQ1)]
    [InlineData(SandboxFolders.WithSpace)]
    [InlineData("inbox")]
    public async Task Messages_PlannedOnTheBulkSession_FolderNameAndKindAsMailKitSaysThem(string folder)
    {
        var user = await fixture.CreateUserAsync();
        var stored = folder == "inbox" ? SandboxFolders.Inbox : folder;
        await new MaildirWriter(fixture.Server).WriteAsync(user, stored, new CorpusGenerator(67).Generate(12));
        await using var client = SandboxAccounts.Client(fixture.Server, user, maxConnections: 3);
        using var batches = new CounterListener(NativeFetchDiagnostics.BatchesName);

        var mailKit = await client.GetMessagesAsync(folder, new FetchOptions { BatchSize = 5 });
        var native = await client.GetMessagesAsync(folder, new FetchOptions { UseNativeReader = true, MaxParallelism = 2, BatchSize = 5 });

        Assert.Equal(12, mailKit.Count);
        InfoAssert.Equal(mailKit.ToList(), native.ToList());
        Assert.All(native, m => Assert.Equal(stored, m.Folder)); // "inbox" is the server's INBOX
        Assert.All(native, m => Assert.Equal(folder == SandboxFolders.Sent, m.IsSent));
        Assert.All(native, m => Assert.Equal(folder == SandboxFolders.Junk, m.IsSpam));
        Assert.True(batches.Total >= 3, $"the native reader read the batches ({batches.Total})");
    }

    [DovecotFact]
    public async Task Messages_WhereOrUidsOrSinceUidAndLimit_NativeSameAsMailKit()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, SandboxFolders.Inbox, new CorpusGenerator(68).Generate(80));
        await using var client = SandboxAccounts.Client(fixture.Server, user, maxConnections: 3);
        var all = await client.GetMessagesAsync(SandboxFolders.Inbox, new FetchOptions { BatchSize = 80 });
        var subject = all[17].Subject!.Split(' ')[0];

        // A search is planned on MailKit (the search language is its); a UID list, a SinceUid and a Limit on the bulk session.
        foreach (var options in new[]
        {
            new FetchOptions { Where = $"SUBJECT \"{subject}\"", BatchSize = 4 },
            new FetchOptions { Uids = new uint[] { 3, 9, 10, 11, 40, 79, 500 }, BatchSize = 2 },
            new FetchOptions { SinceUid = 70, BatchSize = 3 },
            new FetchOptions { SinceUid = 80, BatchSize = 3 },
            new FetchOptions { Limit = 9, BatchSize = 4 },
        })
        {
            var mailKit = await client.GetMessagesAsync(SandboxFolders.Inbox, options);
            options.UseNativeReader = true;
            options.MaxParallelism = 2;
            var native = await client.GetMessagesAsync(SandboxFolders.Inbox, options);
            InfoAssert.Equal(mailKit.ToList(), native.ToList());
        }

        Assert.Empty(await client.GetMessagesAsync(SandboxFolders.Inbox, new FetchOptions { UseNativeReader = true, SinceUid = 80 }));
        Assert.Equal(9, (await client.GetMessagesAsync(SandboxFolders.Inbox, new FetchOptions { UseNativeReader = true, Limit = 9 })).Count);
    }

    [DovecotFact]
    public async Task Messages_FolderThatDoesNotExist_SameErrorAsTheMailKitPath()
    {
        var user = await fixture.CreateUserAsync();
        await using var client = SandboxAccounts.Client(fixture.Server, user, maxConnections: 2);

        var mailKit = await Assert.ThrowsAnyAsync<Exception>(() => client.GetMessagesAsync("NoSuchFolder", new FetchOptions()));
        var native = await Assert.ThrowsAnyAsync<Exception>(() => client.GetMessagesAsync("NoSuchFolder", new FetchOptions { UseNativeReader = true }));

        Assert.IsType<ImapFolderNotFoundException>(mailKit);
        Assert.Equal(mailKit.GetType(), native.GetType());
        Assert.Equal(0, client.Pool.GetStatistics(client.Account).LeasesInUse);
    }
}
