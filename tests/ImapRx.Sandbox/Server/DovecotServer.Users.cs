using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace ImapRx.Sandbox.Server;

/// <summary>Users, doveadm, logs and connection counts of a running sandbox.</summary>
public sealed partial class DovecotServer
{
    private static readonly Regex UserNamePattern = new("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", RegexOptions.CultureInvariant);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(25);

    private readonly SemaphoreSlim _usersLock = new(1, 1);
    private readonly HashSet<string> _userNames = new(StringComparer.Ordinal);
    private int _userCounter;

    /// <summary>
    /// Adds a user with a random password and a fresh Maildir holding every folder in <see cref="SandboxFolders.All"/>,
    /// so each test can work in its own mailbox. The user can log in as soon as this returns.
    /// </summary>
    /// <param name="name">The login name; a unique <c>userNNNN</c> when null.</param>
    /// <param name="cancellationToken">Cancels the doveadm calls.</param>
    public async Task<SandboxUser> CreateUserAsync(string? name = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (name is not null && !UserNamePattern.IsMatch(name))
        {
            throw new ArgumentException("A user name is 1-64 characters of letters, digits, '.', '_' and '-'.", nameof(name));
        }

        var owner = MailOwner.Nobody;
        SandboxUser user;
        await _usersLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            name ??= NextFreeName();
            if (!_userNames.Add(name))
            {
                throw new ArgumentException($"The user '{name}' already exists.", nameof(name));
            }

            var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
            var home = Path.Combine(_layout.MailDirectory, name);
            Directory.CreateDirectory(home);
            NativeMethods.ChmodOrThrow(home, 0b111_000_000); // 0700
            NativeMethods.ChownOrThrow(home, owner.Uid, owner.Gid);
            var passwdFile = Path.Combine(_layout.UsersDirectory, name);
            await File.WriteAllTextAsync(
                passwdFile, $"{name}:{{PLAIN}}{password}:{owner.Uid}:{owner.Gid}::{home}::\n", cancellationToken).ConfigureAwait(false);
            NativeMethods.ChmodOrThrow(passwdFile, 0b110_100_100); // 0644: the auth process runs as dovecot
            user = new SandboxUser(name, password, home);
        }
        finally
        {
            _usersLock.Release();
        }

        // Special-use folders are auto-created too, but only on first use; creating them now puts every folder
        // on disk before the test's first LIST or MaildirWriter call.
        var folders = SandboxFolders.SpecialUse.Select(s => s.Key).Concat(SandboxFolders.Ordinary);
        await RunDoveadmAsync(new[] { "mailbox", "create", "-s", "-u", user.Name }.Concat(folders), cancellationToken)
            .ConfigureAwait(false);
        return user;
    }

    /// <summary>Runs <c>doveadm -c dovecot.conf ARGS</c> against this instance and returns its standard output.</summary>
    /// <exception cref="InvalidOperationException">doveadm exited with a non-zero code (its stderr is in the message).</exception>
    public Task<string> RunDoveadmAsync(IEnumerable<string> arguments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return ToolRunner.RunAsync(DovecotInstallation.DoveadmPath, new[] { "-c", ConfigPath }.Concat(arguments), cancellationToken);
    }

    /// <summary>Reads the whole log file as it is now.</summary>
    public string ReadLog()
    {
        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Counts the log lines that contain <paramref name="substring"/> (ordinal comparison).</summary>
    public int CountLogLines(string substring)
    {
        ArgumentException.ThrowIfNullOrEmpty(substring);
        return ReadLog().Split('\n').Count(line => line.Contains(substring, StringComparison.Ordinal));
    }

    /// <summary>
    /// Counts login attempts seen by the auth process, successful or not: each leaves one
    /// <c>passwd-file(USER,IP,...): Performing passdb lookup</c> line.
    /// </summary>
    /// <param name="user">Only attempts for this login name; all attempts when null.</param>
    public int CountLoginAttempts(string? user = null) =>
        ReadLog().Split('\n').Count(line =>
            line.Contains("): Performing passdb lookup", StringComparison.Ordinal)
            && (user is null || line.Contains($"passwd-file({user},", StringComparison.Ordinal)));

    /// <summary>Polls <see cref="CountLoginAttempts"/> until it reaches <paramref name="minimumCount"/>; returns the count.</summary>
    /// <exception cref="TimeoutException">Too few attempts were logged in time.</exception>
    public async Task<int> WaitForLoginAttemptsAsync(int minimumCount, string? user, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var count = CountLoginAttempts(user);
            if (count >= minimumCount)
            {
                return count;
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Expected at least {minimumCount} login attempt(s), found {count} after {timeout}.");
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Counts the server's open IMAP connections. Without a user, every established connection on the plain
    /// and TLS ports (logged in or not, from the kernel's socket table); with a user, that user's logged-in
    /// sessions as Dovecot's anvil sees them (<c>doveadm who</c>).
    /// </summary>
    public async Task<int> CountConnectionsAsync(string? user = null, CancellationToken cancellationToken = default)
    {
        if (user is null)
        {
            return TcpTable.CountEstablished(TlsPort == 0 ? new[] { PlainPort } : new[] { PlainPort, TlsPort });
        }

        var output = await RunDoveadmAsync(new[] { "who", "-1", user }, cancellationToken).ConfigureAwait(false);
        // "username  proto  pid  ip" per connection, after a header line.
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Count(line => line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) is { Length: > 0 } fields && fields[0] == user);
    }

    /// <summary>Polls <see cref="CountConnectionsAsync"/> until it equals <paramref name="expected"/>; returns the last count.</summary>
    /// <exception cref="TimeoutException">The count did not reach the expected value in time.</exception>
    public async Task<int> WaitForConnectionsAsync(int expected, string? user, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var count = await CountConnectionsAsync(user, cancellationToken).ConfigureAwait(false);
            if (count == expected)
            {
                return count;
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Expected {expected} connection(s){(user is null ? "" : " for " + user)}, still {count} after {timeout}.");
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Polls the log until at least <paramref name="minimumCount"/> lines contain <paramref name="substring"/>
    /// (Dovecot's log process writes a few milliseconds after the event); returns the count.
    /// </summary>
    /// <exception cref="TimeoutException">Too few lines appeared in time.</exception>
    public async Task<int> WaitForLogLinesAsync(string substring, int minimumCount, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var count = CountLogLines(substring);
            if (count >= minimumCount)
            {
                return count;
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Expected at least {minimumCount} log line(s) with '{substring}', found {count} after {timeout}.");
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private string NextFreeName()
    {
        string name;
        do
        {
            name = $"user{Interlocked.Increment(ref _userCounter):D4}";
        }
        while (_userNames.Contains(name));
        return name;
    }
}
