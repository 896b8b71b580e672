using ImapRx.Tests.Wire;
using SharpFuzz;

namespace ImapRx.Fuzz;

/// <summary>
/// <c>fuzz</c>: the header target under afl-fuzz (run.sh); <c>fuzz-body</c>: the whole-message target
/// (<c>run.sh MINUTES body</c>). <c>replay DIR...</c> / <c>replay-body DIR...</c>: every file of the folders through
/// the same target in-process; exits 1 on the first failure, naming the file. <c>seeds DIR COUNT</c>: writes
/// generated replies.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "fuzz":
                Fuzzer.OutOfProcess.Run(stream =>
                {
                    using var copy = new MemoryStream();
                    stream.CopyTo(copy);
                    WireFuzzTarget.Run(copy.ToArray());
                });
                return 0;
            case "fuzz-body":
                Fuzzer.OutOfProcess.Run(stream =>
                {
                    using var copy = new MemoryStream();
                    stream.CopyTo(copy);
                    WireBodyFuzzTarget.Run(copy.ToArray());
                });
                return 0;
            case "replay" when args.Length > 1:
                return Replay(args.Skip(1), WireFuzzTarget.Run);
            case "replay-body" when args.Length > 1:
                return Replay(args.Skip(1), WireBodyFuzzTarget.Run);
            case "seeds" when args.Length == 3 && int.TryParse(args[2], out var count):
                Directory.CreateDirectory(args[1]);
                for (var seed = 0; seed < count; seed++)
                {
                    File.WriteAllBytes(Path.Combine(args[1], $"generated-{seed:D3}"), new FetchResponseGenerator(seed).Responses());
                }

                return 0;
            default:
                Console.Error.WriteLine("usage: ImapRx.Fuzz fuzz | fuzz-body | replay DIR... | replay-body DIR... | seeds DIR COUNT");
                return 2;
        }
    }

    private static int Replay(IEnumerable<string> folders, Func<byte[], WireFuzzTarget.Outcome> target)
    {
        // afl-fuzz leaves a README.txt beside its crashes; it is not an input.
        var files = folders
            .Where(Directory.Exists)
            .SelectMany(f => Directory.EnumerateFiles(f))
            .Where(f => Path.GetFileName(f) != "README.txt")
            .Order(StringComparer.Ordinal)
            .ToList();
        int accepted = 0, rejected = 0;
        foreach (var file in files)
        {
            try
            {
                if (target(File.ReadAllBytes(file)) == WireFuzzTarget.Outcome.Accepted)
                {
                    accepted++;
                }
                else
                {
                    rejected++;
                }
            }
            catch (Exception ex)
            {
                Console.Error.WriteLine($"FAILED {file}: {ex}");
                return 1;
            }
        }

        Console.WriteLine($"{files.Count} replies: {accepted} accepted as MailKit reads them, {rejected} rejected to the fallback");
        return 0;
    }
}
