using ImapRx.Sandbox.Server;

namespace ImapRx.Orleans.Tests.Infrastructure;

/// <summary>
/// Counts each user's IMAP sessions on the server's side (<c>doveadm who -1</c>, one line per connection) again and
/// again until disposed, keeping the highest count seen per user.
/// </summary>
internal sealed class ConnectionSampler : IAsyncDisposable
{
    private readonly DovecotServer _server;
    private readonly HashSet<string> _users;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, int> _max = new(StringComparer.Ordinal);
    private readonly Task _loop;

    public ConnectionSampler(DovecotServer server, IEnumerable<string> users)
    {
        _server = server;
        _users = users.ToHashSet(StringComparer.Ordinal);
        _loop = Task.Run(RunAsync);
    }

    public int Samples { get; private set; }

    public IReadOnlyDictionary<string, int> Max
    {
        get
        {
            lock (_max)
            {
                return new Dictionary<string, int>(_max);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _loop;
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var output = await _server.RunDoveadmAsync(new[] { "who", "-1" });
            var counts = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
                .Where(fields => fields.Length > 0 && _users.Contains(fields[0]))
                .GroupBy(fields => fields[0])
                .ToDictionary(g => g.Key, g => g.Count());
            lock (_max)
            {
                foreach (var (user, count) in counts)
                {
                    _max[user] = Math.Max(_max.GetValueOrDefault(user), count);
                }
            }

            Samples++;
            try
            {
                await Task.Delay(100, _stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
