using System.Reflection;
using ImapRx.Configuration;
using ImapRx.Model;
using ImapRx.Sandbox.Server;
using ImapRx.Sync;
using ImapRx.Tests.Server;
using MimeKit;

namespace ImapRx.Tests.Client;

/// <summary>
/// The awaitable set: one naming rule (docs/streams.md, "Naming") checked over every stream of
/// <see cref="IImapRxClient"/>, and the Task forms completing only once their connection is back in the pool.
/// </summary>
[Collection(DovecotCollection.Name)]
public sealed class ImapRxClientExtensionsTests(DovecotFixture fixture)
{
    // Verbs keep their name (Search -> SearchAsync); nouns get Get (Folders -> GetFoldersAsync).
    private static readonly HashSet<string> Verbs = new(StringComparer.Ordinal) { "Search", "StoreFlags", "Copy", "Move", "Append", "Delete", "SaveMessage", "Sync" };

    [Fact]
    public void TaskForms_EveryColdStream_HasOneNamedByTheRule()
    {
        var tasks = typeof(ImapRxClientExtensions).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => typeof(Task).IsAssignableFrom(m.ReturnType))
            .ToLookup(m => m.Name);
        var missing = new List<string>();
        foreach (var stream in Streams().Where(m => m.Name != nameof(IImapRxClient.Watch)))
        {
            // MessageBatches is Messages in batches: a list has no batches, so its Task form is GetMessagesAsync.
            var name = stream.Name == nameof(IImapRxClient.MessageBatches) ? nameof(IImapRxClient.Messages) : stream.Name;
            var expected = Verbs.Contains(name) ? name + "Async" : "Get" + name + "Async";
            var parameters = stream.GetParameters().Select(p => p.ParameterType).ToArray();
            if (!tasks[expected].Any(t => t.GetParameters().Skip(1).Select(p => p.ParameterType).Take(parameters.Length).SequenceEqual(parameters)))
            {
                missing.Add($"{stream.Name}({string.Join(", ", parameters.Select(p => p.Name))}) -> {expected}");
            }
        }

        Assert.Empty(missing);
    }

    [Fact]
    public void PullForms_MessagesContentsSearchAndWatch_NamedEnumeratePlusTheStreamName()
    {
        var pulls = typeof(ImapRxClientAsyncEnumerableExtensions).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.ReturnType.IsGenericType && m.ReturnType.GetGenericTypeDefinition() == typeof(IAsyncEnumerable<>))
            .Select(m => m.Name)
            .ToHashSet();
        var named = Streams().Where(m => pulls.Contains("Enumerate" + m.Name + "Async")).Select(m => m.Name).Distinct().Order();

        Assert.Equal(new[] { "MessageContents", "Messages", "Search", "Watch" }, named);
        Assert.All(pulls, name => Assert.Matches("^Enumerate[A-Z][A-Za-z]+Async$", name));
    }

    [DovecotFact]
    public async Task NewTaskForms_AppendReadSaveContentsAndSync_ReturnTheResultWithTheLeaseBack()
    {
        var user = await fixture.CreateUserAsync();
        await using var client = SandboxAccounts.Client(fixture.Server, user);
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Ann", "ann@example.com"));
        message.To.Add(new MailboxAddress("Bob", "bob@example.com"));
        message.Subject = "awaitable";
        message.Body = new TextPart("plain") { Text = "hello" };
        int LeasesInUse() => client.Pool.GetStatistics(client.Account).LeasesInUse;

        var uid = await client.AppendAsync("INBOX", message, MailFlags.Seen);
        Assert.Equal(0, LeasesInUse());
        var read = await client.GetMimeMessageAsync("INBOX", uid!.Value);
        Assert.Equal(0, LeasesInUse());
        using var saved = new MemoryStream();
        var bytes = await client.SaveMessageAsync("INBOX", uid.Value, saved);
        Assert.Equal(0, LeasesInUse());
        var contents = await client.GetMessageContentsAsync("INBOX");
        var store = new InMemorySyncStateStore();
        var changes = await client.SyncAsync("INBOX", store);
        Assert.Equal(0, LeasesInUse());
        var again = await client.SyncAsync("INBOX", store);

        Assert.Equal(1u, uid);
        Assert.Equal("awaitable", read.Subject);
        Assert.Equal(saved.Length, bytes);
        Assert.True(bytes > 0);
        Assert.Equal(saved.ToArray(), Assert.Single(contents).Data.ToArray());
        Assert.Equal(new uint[] { 1 }, changes.OfType<MessagesArrived>().SelectMany(a => a.Uids));
        Assert.Empty(again.OfType<MessagesArrived>()); // the first SyncAsync saved its checkpoint
        Assert.Equal(new uint[] { 1 }, await client.SearchAsync("INBOX", MailKit.Search.SearchQuery.Seen));
    }

    [Fact]
    public async Task NewTaskForms_BadArguments_ThrowAtCallTime()
    {
        await using var client = new ImapRxClient(new ImapAccountOptions("localhost", "u", ImapCredential.FromPassword("p")));

        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = client.GetMimeMessageAsync("INBOX", 0); });
        Assert.Throws<ArgumentNullException>(() => { _ = client.SaveMessageAsync("INBOX", 1, null!); });
        Assert.Throws<ArgumentNullException>(() => { _ = client.SyncAsync("INBOX", null!); });
        Assert.Throws<ArgumentNullException>(() => { _ = client.AppendAsync("INBOX", null!); });
    }

    private static IEnumerable<MethodInfo> Streams()
        => typeof(IImapRxClient).GetMethods().Where(m => m.ReturnType.IsGenericType && m.ReturnType.GetGenericTypeDefinition() == typeof(IObservable<>));
}
