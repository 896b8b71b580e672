using ImapRx.Configuration;
using ImapRx.Extensions.Hosting;
using ImapRx.Sandbox.Server;
using ImapRx.Tests.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;
using Polly.Retry;

namespace ImapRx.Tests.Extensions.Hosting;

/// <summary>AddImapRx on real hosts built from JSON configuration, against the sandbox Dovecot.</summary>
[Collection(DovecotCollection.Name)]
public sealed class ImapRxServiceCollectionExtensionsTests(DovecotFixture fixture) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("imaprx-hosting-").FullName;

    public void Dispose() => Directory.Delete(_directory, true);

    [DovecotFact]
    public async Task AddImapRx_TwoAccountsInJson_KeyedClientsAndFactoryReadEachMailbox()
    {
        var workUser = await fixture.CreateUserAsync();
        var homeUser = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(workUser, "INBOX", new CorpusGenerator(170) { MalformedInterval = 0 }.GenerateSmall(2));
        await new MaildirWriter(fixture.Server).WriteAsync(homeUser, "INBOX", new CorpusGenerator(171) { MalformedInterval = 0 }.GenerateSmall(5));
        var settings = SandboxConfiguration.For(fixture.Server, workUser, "Work");
        foreach (var (key, value) in SandboxConfiguration.For(fixture.Server, homeUser, "Home"))
        {
            settings[key] = value;
        }

        var logs = new CapturingLoggerProvider();
        var builder = TestHosts.FromJson(_directory, settings);
        builder.Logging.AddProvider(logs);
        // begin-snippet: hosting
        builder.AddImapRx(); // Imap:Accounts:Work and Imap:Accounts:Home, validated on start
        using var host = builder.Build();
        await host.StartAsync();

        var work = host.Services.GetRequiredKeyedService<IImapRxClient>("Work"); // or [FromKeyedServices("Work")]
        var factory = host.Services.GetRequiredService<IImapRxClientFactory>();
        var workInbox = await work.GetFolderAsync("INBOX");
        var homeInbox = await factory.GetClient("Home").GetFolderAsync("INBOX");
        // end-snippet
        var homeClient = host.Services.GetRequiredKeyedService<IImapRxClient>("Home");
        await host.StopAsync();

        Assert.Equal(2, workInbox.TotalCount);
        Assert.Equal(5, homeInbox.TotalCount);
        Assert.Same(homeClient, factory.GetClient("Home"));
        Assert.Equal(new[] { "Home", "Work" }, factory.AccountNames);
        Assert.Equal(workUser.Name, work.Account.Username);
        Assert.Null(host.Services.GetService<IImapRxClient>()); // two accounts and no DefaultAccount: no unkeyed client
        Assert.Contains(logs.Entries, e => e.Category.StartsWith("ImapRx", StringComparison.Ordinal) && e.Event.Name == "Connected");
        var missing = Assert.Throws<KeyNotFoundException>(() => factory.GetClient("Other"));
        Assert.Contains("Home, Work", missing.Message, StringComparison.Ordinal);
    }

    [DovecotFact]
    public async Task AddImapRx_OneAccount_AlsoTheUnkeyedClient()
    {
        var user = await fixture.CreateUserAsync();
        var builder = TestHosts.FromJson(_directory, SandboxConfiguration.For(fixture.Server, user, "Main"));
        builder.AddImapRx();
        using var host = builder.Build();
        await host.StartAsync();

        Assert.Same(host.Services.GetRequiredKeyedService<IImapRxClient>("Main"), host.Services.GetRequiredService<IImapRxClient>());
        await host.StopAsync();
    }

    [DovecotTheory]
    [InlineData("Port", "70000", "Imap:Accounts:Main:Port: The port must be between 1 and 65535")]
    [InlineData("MaxConnections", "0", "Imap:Accounts:Main:MaxConnections: MaxConnections must be between 1 and 10000.")]
    [InlineData("Host", "", "Imap:Accounts:Main:Host: the server's host name is required.")]
    [InlineData("Password", "", "Imap:Accounts:Main:Password: a password is required")]
    [InlineData("Authentication", "Kerberos", "Imap:Accounts:Main:Authentication: 'Kerberos' is not Password, XOAuth2 or OAuthBearer.")]
    [InlineData("Authentication", "XOAuth2", "Imap:Accounts:Main:Password: set a password or OAuth2")]
    [InlineData("TrustedCaPaths:0", "/no/such/ca.pem", "Imap:Accounts:Main:TrustedCaPaths:0: cannot read a certificate from '/no/such/ca.pem'")]
    [InlineData("ResiliencePipeline", "imap-connect", "Imap:Accounts:Main:ResiliencePipeline: 'imap-connect' names a Polly pipeline, but none is registered")]
    public async Task StartAsync_BadValue_FailsNamingTheConfigurationKey(string key, string value, string expected)
    {
        var user = await fixture.CreateUserAsync();
        var settings = SandboxConfiguration.For(fixture.Server, user, "Main");
        settings["Imap:Accounts:Main:" + key] = value;
        var builder = TestHosts.FromJson(_directory, settings);
        builder.AddImapRx();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(user.Password, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddImapRx_NoAccountsOrUnknownDefault_ThrowsNamingTheKey()
    {
        var empty = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        empty.Configuration["Imap:DefaultAccount"] = "Main";
        var noAccounts = Assert.Throws<InvalidOperationException>(() => empty.AddImapRx());

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration["Imap:Accounts:Main:Host"] = "imap.example.com";
        builder.Configuration["Imap:DefaultAccount"] = "Work";
        var unknown = Assert.Throws<InvalidOperationException>(() => builder.AddImapRx());

        Assert.StartsWith("Imap:Accounts: no IMAP account is configured", noAccounts.Message, StringComparison.Ordinal);
        Assert.StartsWith("Imap:DefaultAccount: 'Work' is not one of the accounts (Main)", unknown.Message, StringComparison.Ordinal);
    }

    [DovecotFact]
    public async Task DisposeHost_AfterUse_TheServerSeesALogoutForEveryConnection()
    {
        var user = await fixture.CreateUserAsync();
        var builder = TestHosts.FromJson(_directory, SandboxConfiguration.For(fixture.Server, user, "Main"));
        builder.AddImapRx();
        var host = builder.Build();
        await host.StartAsync();
        var client = host.Services.GetRequiredService<IImapRxClient>();
        await Task.WhenAll(client.GetFolderAsync("INBOX"), client.GetFoldersAsync(), client.SearchAsync("INBOX", "ALL"));
        Assert.True(await fixture.Server.CountConnectionsAsync(user.Name) > 0);

        await host.StopAsync();
        host.Dispose();

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await fixture.Server.CountConnectionsAsync(user.Name) > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var sessions = SessionEnds(user.Name);
        Assert.Equal(0, await fixture.Server.CountConnectionsAsync(user.Name));
        Assert.NotEmpty(sessions);
        Assert.All(sessions, line => Assert.Contains(": Logged out", line, StringComparison.Ordinal));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.GetFolderAsync("INBOX"));
    }

    [DovecotFact]
    public async Task ResiliencePipeline_NamedInConfiguration_OpensTheConnections()
    {
        var user = await fixture.CreateUserAsync();
        var settings = SandboxConfiguration.For(fixture.Server, user, "Main");
        settings["Imap:Accounts:Main:ResiliencePipeline"] = "imap-connect";
        var outcomes = 0;
        var registry = new ResiliencePipelineRegistry<string>();
        registry.TryAddBuilder("imap-connect", (pipeline, _) => pipeline.AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = _ =>
            {
                Interlocked.Increment(ref outcomes); // sees every attempt's outcome, success included
                return new ValueTask<bool>(false);
            },
        }));
        var builder = TestHosts.FromJson(_directory, settings);
        builder.Services.AddSingleton<ResiliencePipelineProvider<string>>(registry);
        builder.AddImapRx();
        using var host = builder.Build();
        await host.StartAsync();

        await host.Services.GetRequiredService<IImapRxClient>().GetFolderAsync("INBOX");
        await host.StopAsync();

        Assert.Equal(1, Volatile.Read(ref outcomes));
        Assert.NotNull(host.Services.GetRequiredService<IImapRxClientFactory>().GetAccount("Main").ConnectPipeline);
    }

    [DovecotFact]
    public async Task OAuth2Account_TokenProviderFromTheContainer_IsAskedForThatAccountsToken()
    {
        var user = await fixture.CreateUserAsync();
        var settings = SandboxConfiguration.For(fixture.Server, user, "Work");
        settings.Remove("Imap:Accounts:Work:Password");
        settings["Imap:Accounts:Work:Authentication"] = "XOAuth2";
        settings["Imap:Accounts:Work:MaxRetries"] = "0";
        var builder = TestHosts.FromJson(_directory, settings);
        var tokens = new TokenCache();
        builder.Services.AddSingleton(tokens);

        // begin-snippet: hosting-oauth2
        builder.AddImapRx() // Imap:Accounts:Work:Authentication = XOAuth2 (Gmail, Microsoft 365)
            .AddAccessTokenProvider<MailTokenProvider>("Work");
        // end-snippet
        using var host = builder.Build();
        await host.StartAsync();

        var account = host.Services.GetRequiredService<IImapRxClientFactory>().GetAccount("Work");
        // The sandbox has no OAuth2 server: the login fails, after ImapRx asked the provider for Work's token.
        await Assert.ThrowsAnyAsync<Exception>(() => host.Services.GetRequiredKeyedService<IImapRxClient>("Work").GetFolderAsync("INBOX"));
        await host.StopAsync();

        Assert.Equal("OAuth2(XOAuth2, token ****)", account.Credential.ToString());
        Assert.Equal(("Work", false), tokens.Requests.First());
    }

    // Lines where Dovecot ended one of the user's IMAP sessions: "Logged out" after LOGOUT, "Disconnected" otherwise.
    private List<string> SessionEnds(string userName)
        => File.ReadAllLines(fixture.Server.LogPath)
            .Where(l => l.Contains($"imap({userName})", StringComparison.Ordinal) && (l.Contains(": Logged out", StringComparison.Ordinal) || l.Contains(": Disconnected", StringComparison.Ordinal)))
            .ToList();
}

// begin-snippet: hosting-oauth2-provider
/// <summary>Hands ImapRx the account's current access token from your identity library.</summary>
public sealed class MailTokenProvider(TokenCache tokens) : IImapAccessTokenProvider
{
    // Google.Apis.Auth: GetAccessTokenForRequestAsync(); MSAL: AcquireTokenSilent(scopes, account).ExecuteAsync().
    public ValueTask<string> GetAccessTokenAsync(string accountName, bool forceRefresh, CancellationToken cancellationToken)
        => tokens.GetAsync(accountName, forceRefresh, cancellationToken);
}
// end-snippet

/// <summary>Stands in for an identity library in the test: records who asked.</summary>
public sealed class TokenCache
{
    internal System.Collections.Concurrent.ConcurrentQueue<(string Account, bool ForceRefresh)> Requests { get; } = new();

    public ValueTask<string> GetAsync(string accountName, bool forceRefresh, CancellationToken cancellationToken)
    {
        Requests.Enqueue((accountName, forceRefresh));
        return new ValueTask<string>("token-for-" + accountName);
    }
}
