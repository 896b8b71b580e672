using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Reactive.Linq;
using ImapRx.PowerShell.Infrastructure;

namespace ImapRx.PowerShell.Completers;

/// <summary>Completes folder names from the default session (quoted when they need it).</summary>
public sealed class FolderNameCompleter : IArgumentCompleter
{
    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var session = fakeBoundParameters["Session"] as ImapSession ?? DefaultSession();
        if (session is null || !session.IsConnected)
        {
            return Array.Empty<CompletionResult>();
        }

        var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
        try
        {
            return session.Client.Folders(new Fetching.FolderListOptions { IncludeCounts = false })
                .Where(f => f.FullName.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(f => f.FullName)
                .ToList()
                .Timeout(TimeSpan.FromSeconds(5))
                .Wait()
                .OrderBy(n => n, StringComparer.OrdinalIgnoreCase)
                .Select(n => new CompletionResult(n.IndexOfAny(new[] { ' ', '\'', '"', '$', '`' }) >= 0 ? "'" + n.Replace("'", "''") + "'" : n, n, CompletionResultType.ParameterValue, n))
                .ToList();
        }
        catch (Exception)
        {
            return Array.Empty<CompletionResult>(); // completion must never throw at the user
        }
    }

    private static ImapSession? DefaultSession()
    {
        using var ps = System.Management.Automation.PowerShell.Create(RunspaceMode.CurrentRunspace);
        // A script, not Get-Variable: Microsoft.PowerShell.Utility is not loaded in every host.
        ps.AddScript("$global:ImapRxDefaultSession");
        return ps.Invoke().FirstOrDefault()?.BaseObject as ImapSession;
    }
}
