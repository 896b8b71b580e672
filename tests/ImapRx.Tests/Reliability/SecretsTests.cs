using System.Collections.Concurrent;
using System.Reactive.Linq;
using System.Text;
using ImapRx.Configuration;
using ImapRx.Fetching;
using ImapRx.Model;
using ImapRx.Pooling;
using ImapRx.Sandbox.Server;
using ImapRx.Tests.Server;
using ImapRx.Tests.Watching;
using Microsoft.Extensions.Logging;

namespace ImapRx.Tests.Reliability;

/// <summary>
/// With every log on at its most verbose, a full run (connect, fetch, watch, a kill and reconnect, a failed login)
/// through each SASL mechanism leaves the password in none of: wire log, logs, exceptions, events, ToString().
/// </summary>
public sealed class SecretsTests
{
    [DovecotTheory]
    [InlineData("plain", "PLAIN")]
    [InlineData("login", "LOGIN")]
    public async Task FullRunWithReconnects_PasswordNeverAppearsAnywhere(string serverMechanism, string wireMechanism)
    {
        await using var server = await DovecotServer.StartAsync(new DovecotServerOptions { ExtraConfiguration = new[] { "auth_mechanisms = " + serverMechanism } });
        var user = await server.CreateUserAsync();
        await new MaildirWriter(server).WriteAsync(user, "INBOX", new CorpusGenerator(95).Generate(10));
        var wire = new WireLog();
        var logs = new ConcurrentQueue<string>();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(new QueueLoggerProvider(logs)).SetMinimumLevel(LogLevel.Trace));
        var seen = new List<string>();
        await using (var pool = new ImapConnectionPool(new ImapPoolOptions { LoggerFactory = loggerFactory, ProtocolLog = wire.Open }))
        {
            var account = SandboxAccounts.For(server, user);
            await using var client = new ImapRxClient(account, pool);
            Assert.Equal(10, (await client.Messages("INBOX", new FetchOptions { Bodies = BodyFetchMode.TextAndHtml }).ToList()).Count);

            var events = new WatchTests.EventLog();
            using (client.Watch("INBOX").Subscribe(events.Add, events.Fail))
            {
                await events.WaitForAsync<WatchIdling>(1);
                await server.RunDoveadmAsync(new[] { "kick", user.Name });
                await events.WaitForAsync<WatchResumed>(1);
            }

            seen.AddRange(events.All().Select(e => e.ToString()!));
            var wrong = new ImapAccountOptions(server.Host, user.Name, ImapCredential.FromPassword(user.Password + "-wrong"))
            {
                Port = server.TlsPort,
                TrustedCertificateAuthorities = new[] { server.CaCertificate },
            };
            await using var bad = new ImapRxClient(wrong, pool);
            var error = await Assert.ThrowsAsync<ImapAuthenticationException>(async () => await bad.Folders().ToList());
            seen.Add(error.ToString());
            seen.Add(account.ToString()!);
            seen.Add(account.Credential.ToString()!);
            seen.Add(wrong.ToString()!);
            seen.Add(client.ToString()!);
            seen.Add(pool.GetStatistics(account).ToString());
        }

        var everything = string.Join("\n", seen.Concat(logs).Append(wire.ToString()));
        Assert.Contains("AUTHENTICATE " + wireMechanism, wire.ToString());
        Assert.True(server.CountLoginAttempts(user.Name) >= 3, "the run did not reconnect and fail as planned");
        foreach (var secret in SecretForms(user.Name, user.Password).Concat(SecretForms(user.Name, user.Password + "-wrong")))
        {
            Assert.DoesNotContain(secret, everything);
        }

        ReliabilityFigures.Add("secret forms checked in logs, wire, errors and ToString", 2 * SecretForms(user.Name, user.Password).Count());
    }

    /// <summary>The password itself and how each mechanism puts it on the wire.</summary>
    private static IEnumerable<string> SecretForms(string user, string password)
    {
        yield return password;
        yield return Convert.ToBase64String(Encoding.UTF8.GetBytes(password)); // LOGIN
        yield return Convert.ToBase64String(Encoding.UTF8.GetBytes("\0" + user + "\0" + password)); // PLAIN
        yield return Convert.ToBase64String(Encoding.UTF8.GetBytes(user + "\0" + user + "\0" + password)); // PLAIN with authzid
    }

    private sealed class QueueLoggerProvider(ConcurrentQueue<string> queue) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new QueueLogger(queue);

        public void Dispose()
        {
        }

        private sealed class QueueLogger(ConcurrentQueue<string> queue) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
                => queue.Enqueue(formatter(state, exception) + (exception is null ? string.Empty : "\n" + exception));
        }
    }
}
