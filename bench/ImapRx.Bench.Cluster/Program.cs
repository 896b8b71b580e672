using System.Diagnostics;
using System.Globalization;
using ImapRx.Bench;

// The orchestrator (bench/ImapRx.Bench) starts this as "run S6 orleans key=value ..." and reads its RESULT line.
if (args.Length < 3 || args[0] != "run" || args[1] != "S6")
{
    Console.Error.WriteLine("usage: ImapRx.Bench.Cluster run S6 orleans [accounts=60] [silos=3] [burst=5] [reminderSeconds=2] [timeoutSeconds=300]");
    return 2;
}

var options = args.Skip(3).Select(a => a.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
var (items, bytes, detail) = await ClusterScale.RunAsync(args[2], name => options.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : null);
var elapsed = double.Parse(detail[3..].Split(';')[0], CultureInfo.InvariantCulture);
detail += $";cpu={(Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds:0}ms";
Console.WriteLine(new Measurement("S6", args[2], elapsed, items, bytes, Measurement.ReadPeakRssMb(), Measurement.Threads(), detail).ToLine());
return 0;
