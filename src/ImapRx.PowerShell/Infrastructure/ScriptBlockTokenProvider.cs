using System;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net;
using System.Security;
using System.Threading;
using System.Threading.Tasks;

namespace ImapRx.PowerShell.Infrastructure;

/// <summary>
/// Connect-ImapServer -AccessTokenProvider: the script block is asked for a token whenever a connection logs in,
/// and again with $true as its first argument after the server rejected one. Connections open on pool threads,
/// where the caller's runspace cannot run scripts, so the script block runs in a runspace of its own (one per
/// session, one call at a time): it sees none of the caller's variables and imports what it needs itself.
/// </summary>
internal sealed class ScriptBlockTokenProvider : IDisposable
{
    private readonly string _script;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Runspace? _runspace;

    internal ScriptBlockTokenProvider(ScriptBlock scriptBlock)
    {
        _script = scriptBlock.ToString();
    }

    internal async ValueTask<string> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_runspace is null)
            {
                _runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
                _runspace.Open();
            }

            using var shell = System.Management.Automation.PowerShell.Create();
            shell.Runspace = _runspace;
            shell.AddScript(_script).AddArgument(forceRefresh);
            using (cancellationToken.Register(() => shell.BeginStop(null, null)))
            {
                PSDataCollection<PSObject> output;
                try
                {
                    output = await Task.Factory.FromAsync(shell.BeginInvoke(), shell.EndInvoke).ConfigureAwait(false);
                }
                catch (RuntimeException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new InvalidOperationException("-AccessTokenProvider failed: " + ex.Message, ex);
                }

                cancellationToken.ThrowIfCancellationRequested();
                if (shell.HadErrors && shell.Streams.Error.Count > 0)
                {
                    // The error's text, never the token: a provider that failed produced none.
                    throw new InvalidOperationException("-AccessTokenProvider failed: " + shell.Streams.Error[0], shell.Streams.Error[0].Exception);
                }

                var token = output.Select(o => o?.BaseObject).LastOrDefault(o => o is string or SecureString) switch
                {
                    string text => text,
                    SecureString secure => new NetworkCredential(string.Empty, secure).Password,
                    _ => null,
                };
                return string.IsNullOrEmpty(token)
                    ? throw new InvalidOperationException("-AccessTokenProvider returned no token (it must output a string or a SecureString).")
                    : token!;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _runspace?.Dispose();
        _gate.Dispose();
    }
}
