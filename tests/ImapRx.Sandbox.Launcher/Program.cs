using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImapRx.Sandbox.Launcher;
using ImapRx.Sandbox.Server;

// The sandbox for processes that are not .NET (the Pester run): see the project file for the protocol.
if (args.Length != 1 || args[0] != "--serve")
{
    Console.Error.WriteLine("usage: ImapRx.Sandbox.Launcher --serve");
    Console.Error.WriteLine("  Starts a private Dovecot, prints its connection settings as one JSON line, then answers one JSON");
    Console.Error.WriteLine("  request per stdin line (see SandboxRequests.cs). Stops when stdin closes, on SIGTERM/SIGINT or {\"op\":\"stop\"}.");
    return 2;
}

using var stopping = new CancellationTokenSource();
// A signal stops the server; the handler cancels the default termination so the finally blocks run.
using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stopping.Cancel(); });
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stopping.Cancel(); });

await using var server = await DovecotServer.StartAsync(cancellationToken: stopping.Token);
await using var requests = new SandboxRequests(server);
var settings = new JsonObject
{
    ["host"] = server.Host,
    ["plainPort"] = server.PlainPort,
    ["tlsPort"] = server.TlsPort,
    ["caPath"] = server.CaCertificatePath,
    ["rootDirectory"] = server.RootDirectory,
    ["pid"] = Environment.ProcessId,
};
Console.Out.WriteLine(settings.ToJsonString());
Console.Out.Flush();

var stdin = Console.In;
while (!stopping.IsCancellationRequested)
{
    string? line;
    try
    {
        line = await stdin.ReadLineAsync(stopping.Token);
    }
    catch (OperationCanceledException)
    {
        break;
    }

    if (line is null)
    {
        break; // stdin closed: the parent is gone, so is the reason to run
    }

    if (line.Length == 0)
    {
        continue;
    }

    JsonObject reply;
    try
    {
        var request = JsonNode.Parse(line)?.AsObject() ?? throw new ArgumentException("Empty request.");
        if ((string?)request["op"] == "stop")
        {
            Console.Out.WriteLine("{\"ok\":true}");
            break;
        }

        reply = new JsonObject { ["ok"] = true, ["result"] = await requests.HandleAsync(request, stopping.Token) };
    }
    catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
    {
        reply = new JsonObject { ["ok"] = false, ["error"] = ex.GetType().Name + ": " + ex.Message };
    }

    Console.Out.WriteLine(reply.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
    Console.Out.Flush();
}

return 0;
