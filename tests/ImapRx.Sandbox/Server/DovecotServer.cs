using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace ImapRx.Sandbox.Server;

/// <summary>
/// A private Dovecot 2.3 on 127.0.0.1: its own temp directory, free ports, generated certificates and
/// passwd-file users. The master runs in the foreground under a small launcher that stops it when this
/// process goes away; <see cref="DisposeAsync"/> stops it by the pid it started, never by name.
/// </summary>
public sealed partial class DovecotServer : IAsyncDisposable
{
    private const int StartAttempts = 3;
    private const string StartedLogLine = "starting up for imap";
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);

    private readonly SandboxLayout _layout;
    private readonly SandboxCertificates _certificates;
    private Process _launcher;
    private int _masterPid;
    private int _disposed;

    private DovecotServer(
        DovecotServerOptions options, SandboxLayout layout, SandboxCertificates certificates,
        Process launcher, int masterPid, int plainPort, int tlsPort)
    {
        Options = options;
        _layout = layout;
        _certificates = certificates;
        _launcher = launcher;
        _masterPid = masterPid;
        PlainPort = plainPort;
        TlsPort = tlsPort;
    }

    /// <summary>Gets the address every listener is bound to.</summary>
    public string Host => "127.0.0.1";

    /// <summary>Gets the plain IMAP port; it offers STARTTLS unless <see cref="DovecotServerOptions.EnableSsl"/> is false.</summary>
    public int PlainPort { get; }

    /// <summary>Gets the implicit-TLS port, or 0 when <see cref="DovecotServerOptions.EnableSsl"/> is false.</summary>
    public int TlsPort { get; }

    /// <summary>Gets the options the server was started with.</summary>
    public DovecotServerOptions Options { get; }

    /// <summary>Gets the temp directory holding the configuration, logs, certificates and mail.</summary>
    public string RootDirectory => _layout.Root;

    /// <summary>Gets the generated <c>dovecot.conf</c>, for <c>doveadm -c</c>.</summary>
    public string ConfigPath => _layout.ConfigPath;

    /// <summary>Gets the single log file of the instance (errors, info and auth debug lines).</summary>
    public string LogPath => _layout.LogPath;

    /// <summary>Gets the pid of the Dovecot master process.</summary>
    public int MasterPid => _masterPid;

    /// <summary>Gets the CA that issued the server certificate: the one certificate tests should trust.</summary>
    public X509Certificate2 CaCertificate => _certificates.Ca;

    /// <summary>Gets the CA certificate as a PEM file.</summary>
    public string CaCertificatePath => _layout.CaCertificatePath;

    /// <summary>Starts a private Dovecot and waits until its listeners accept connections.</summary>
    /// <exception cref="InvalidOperationException">Dovecot is missing, not startable, or failed to start.</exception>
    public static async Task<DovecotServer> StartAsync(DovecotServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new DovecotServerOptions();
        if (DovecotInstallation.UnavailableReason is { } reason)
        {
            throw new InvalidOperationException(reason);
        }

        for (var attempt = 1; ; attempt++)
        {
            var layout = SandboxLayout.CreateTemp();
            var certificates = SandboxCertificates.Create();
            try
            {
                return await StartOnceAsync(options, layout, certificates, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (attempt < StartAttempts && ex is PortInUseException)
            {
                // Another process took a port between our probe and Dovecot's bind; try fresh ports.
                certificates.Dispose();
                TryDeleteDirectory(layout.Root);
            }
            catch
            {
                certificates.Dispose();
                if (!options.KeepRootDirectory)
                {
                    TryDeleteDirectory(layout.Root);
                }

                throw;
            }
        }
    }

    /// <summary>
    /// Validates a server certificate against <see cref="CaCertificate"/> only: the chain must end at that CA
    /// and the name must match. Use it as MailKit's <c>ServerCertificateValidationCallback</c>.
    /// </summary>
    public bool ValidateServerCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors sslPolicyErrors)
    {
        // A name mismatch or a missing certificate is never forgiven; only the unknown root is ours to judge.
        if (certificate is null || (sslPolicyErrors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            return false;
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var customChain = new X509Chain();
        customChain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        customChain.ChainPolicy.CustomTrustStore.Add(CaCertificate);
        customChain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return customChain.Build(leaf);
    }

    /// <summary>
    /// Stops Dovecot (its clients get a BYE and lose their connections), waits <paramref name="downtime"/> with
    /// nothing listening, then starts it again on the same ports with the same users and mail.
    /// </summary>
    public async Task RestartAsync(TimeSpan downtime, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        NativeMethods.Kill(_masterPid, NativeMethods.SigTerm);
        await _launcher.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        _launcher.Dispose();
        await Task.Delay(downtime, cancellationToken).ConfigureAwait(false);
        var output = new StringBuilder();
        _launcher = StartLauncher(_layout, output);
        _masterPid = await WaitUntilListeningAsync(_launcher, _layout, output, PlainPort, TlsPort, Options.StartTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the master by its pid (SIGTERM, then SIGKILL after 15 s) and deletes the temp directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        NativeMethods.Kill(_masterPid, NativeMethods.SigTerm);
        using (var timeout = new CancellationTokenSource(StopTimeout))
        {
            try
            {
                await _launcher.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                NativeMethods.Kill(_masterPid, NativeMethods.SigKill);
                await _launcher.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }

        _launcher.StandardInput.Close();
        _launcher.Dispose();
        _certificates.Dispose();
        _usersLock.Dispose();
        if (!Options.KeepRootDirectory)
        {
            TryDeleteDirectory(_layout.Root);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"Dovecot sandbox {Host}:{PlainPort}/{TlsPort} pid {_masterPid} in {RootDirectory}";

    private static async Task<DovecotServer> StartOnceAsync(
        DovecotServerOptions options, SandboxLayout layout, SandboxCertificates certificates, CancellationToken cancellationToken)
    {
        certificates.WritePem(layout.CaCertificatePath, layout.ServerCertificatePath, layout.ServerKeyPath, options.UntrustedCertificate);
        var plainPort = GetFreePort();
        var tlsPort = options.EnableSsl ? GetFreePort() : 0;
        var owner = MailOwner.Nobody;
        File.WriteAllText(layout.ConfigPath, DovecotConfig.Render(layout, options, plainPort, tlsPort, owner));
        File.WriteAllText(layout.LauncherPath, LauncherScript);

        var output = new StringBuilder();
        var launcher = StartLauncher(layout, output);
        try
        {
            var masterPid = await WaitUntilListeningAsync(launcher, layout, output, plainPort, tlsPort, options.StartTimeout, cancellationToken)
                .ConfigureAwait(false);
            return new DovecotServer(options, layout, certificates, launcher, masterPid, plainPort, tlsPort);
        }
        catch
        {
            await StopLauncherAsync(launcher).ConfigureAwait(false);
            throw;
        }
    }

    // The launcher prints the master's pid, then stops the master (by that pid) when its stdin reaches EOF:
    // if the test host dies without disposing, the kernel closes the pipe and Dovecot goes with it.
    private const string LauncherScript = """
        #!/bin/bash
        "$1" -F -c "$2" &
        pid=$!
        echo "$pid"
        exec 3<&0
        { while read -r _ <&3; do :; done; kill -TERM "$pid" 2>/dev/null; } &
        watcher=$!
        wait "$pid"
        rc=$?
        kill "$watcher" 2>/dev/null
        exit "$rc"
        """;

    private static Process StartLauncher(SandboxLayout layout, StringBuilder output)
    {
        var startInfo = new ProcessStartInfo("/bin/bash")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(layout.LauncherPath);
        startInfo.ArgumentList.Add(DovecotInstallation.DovecotPath);
        startInfo.ArgumentList.Add(layout.ConfigPath);
        var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;

        static void Append(StringBuilder sb, string? line)
        {
            if (line is not null)
            {
                lock (sb)
                {
                    sb.AppendLine(line);
                }
            }
        }
    }

    private static async Task<int> WaitUntilListeningAsync(
        Process launcher, SandboxLayout layout, StringBuilder output, int plainPort, int tlsPort, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string text;
            lock (output)
            {
                text = output.ToString();
            }

            if (launcher.HasExited)
            {
                // The parameterless wait also waits for the redirected output to be read to its end: without it
                // Dovecot's own message ("Unknown setting: ...") can still be in flight.
                launcher.WaitForExit();
                lock (output)
                {
                    text = output.ToString();
                }

                var failure = $"Dovecot exited with code {launcher.ExitCode} during start-up.\n{text}\n{Tail(layout.LogPath)}";
                throw failure.Contains("Address already in use", StringComparison.Ordinal)
                    ? new PortInUseException(failure)
                    : new InvalidOperationException(failure);
            }

            var firstLine = text.Split('\n', 2)[0].Trim();
            if (int.TryParse(firstLine, out var pid)
                && TcpTable.IsListening(plainPort)
                && (tlsPort == 0 || TcpTable.IsListening(tlsPort))
                && LogContains(layout.LogPath, StartedLogLine))
            {
                DisableAuthPenalty(layout);
                await ToolRunner.RunAsync(DovecotInstallation.DoveadmPath, new[] { "-c", layout.ConfigPath, "who" }, cancellationToken).ConfigureAwait(false);
                return pid;
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"Dovecot did not listen on {plainPort}/{tlsPort} within {timeout}.\n{text}\n{Tail(layout.LogPath)}");
            }

            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }

    // Dovecot 2.3 makes every login from an IP that recently failed one wait up to 15 s (anvil's auth penalty),
    // and no setting turns that off; one wrong-password test would slow every later test. The auth process
    // connects to this socket lazily, on the first login, and treats a missing socket as "penalty disabled".
    private static void DisableAuthPenalty(SandboxLayout layout) =>
        File.Delete(Path.Combine(layout.RunDirectory, "anvil-auth-penalty"));

    private static async Task StopLauncherAsync(Process launcher)
    {
        if (!launcher.HasExited)
        {
            // Closing stdin makes the launcher stop the master it started.
            launcher.StandardInput.Close();
            using var timeout = new CancellationTokenSource(StopTimeout);
            try
            {
                await launcher.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                launcher.Kill();
            }
        }

        launcher.Dispose();
    }

    // The master binds its ports before its helper processes are serving: a SIGTERM in that window makes
    // shutdown take 6 s instead of 1 s. So start-up also waits for the "starting up" line (written through
    // the log process) and for one round trip to anvil (doveadm who).
    private static bool LogContains(string path, string text)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd().Contains(text, StringComparison.Ordinal);
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }

    private static int GetFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Tail(string path)
    {
        try
        {
            var lines = File.ReadAllLines(path);
            return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 20)));
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // A straggling Dovecot child may still hold a file; the temp directory is cleaned up by the OS later.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private sealed class PortInUseException(string message) : InvalidOperationException(message);
}
