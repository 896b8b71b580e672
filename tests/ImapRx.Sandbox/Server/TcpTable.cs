using System.Globalization;

namespace ImapRx.Sandbox.Server;

/// <summary>Reads the kernel's socket tables, which see every connection, logged in or not.</summary>
internal static class TcpTable
{
    private const string Established = "01";
    private const string Listen = "0A";

    internal static int CountEstablished(IReadOnlyCollection<int> localPorts) => Count(localPorts, Established);

    internal static bool IsListening(int localPort) => Count(new[] { localPort }, Listen) > 0;

    private static int Count(IReadOnlyCollection<int> localPorts, string state)
    {
        var count = 0;
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table))
            {
                continue;
            }

            foreach (var line in File.ReadLines(table).Skip(1))
            {
                // "  sl  local_address rem_address   st ..." with addresses as HEXIP:HEXPORT
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 4 || fields[3] != state)
                {
                    continue;
                }

                var local = fields[1];
                var port = int.Parse(local.AsSpan(local.IndexOf(':') + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (localPorts.Contains(port))
                {
                    count++;
                }
            }
        }

        return count;
    }
}
