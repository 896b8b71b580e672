namespace ImapRx.Samples.Cluster;

/// <summary>What the demo does; every count is fixed, so a run is bounded and repeatable.</summary>
public sealed record ClusterDemoOptions
{
    /// <summary>Mailboxes kept in sync by the cluster.</summary>
    public int Accounts { get; init; } = 8;

    /// <summary>Messages in each mailbox before the accounts start.</summary>
    public int Seeded { get; init; } = 2;

    /// <summary>Rounds of the appender; each appends one message to every mailbox.</summary>
    public int Rounds { get; init; } = 6;

    /// <summary>After how many rounds silo-2 stops (the appender goes on meanwhile).</summary>
    public int StopAfterRound { get; init; } = 2;

    /// <summary>The pause between rounds.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Stop silo-2 the way a crash looks (no goodbye) instead of gracefully.</summary>
    public bool Kill { get; init; }

    /// <summary>How often each account's reminder fires: an account of a stopped silo is back within about this long.</summary>
    public TimeSpan ReminderPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long to wait for every appended message to be handled before giving up.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Reads <c>--accounts=N --rounds=N --kill</c>; anything else is an <see cref="ArgumentException"/>.</summary>
    public static ClusterDemoOptions Parse(IEnumerable<string> args)
    {
        var options = new ClusterDemoOptions();
        foreach (var arg in args)
        {
            var (name, value) = arg.Split('=', 2) is [var n, var v] ? (n, v) : (arg, null);
            options = name switch
            {
                "--accounts" => options with { Accounts = Count(name, value, 1, 200) },
                "--rounds" => options with { Rounds = Count(name, value, options.StopAfterRound + 1, 100) },
                "--kill" when value is null => options with { Kill = true },
                _ => throw new ArgumentException($"Unknown argument '{arg}'. Usage: [--accounts=1..200] [--rounds=3..100] [--kill]", nameof(args)),
            };
        }

        return options;
    }

    private static int Count(string name, string? value, int min, int max)
        => int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new ArgumentException($"{name} needs a whole number from {min} to {max}, not '{value}'.", nameof(value));
}
