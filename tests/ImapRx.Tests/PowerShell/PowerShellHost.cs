using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace ImapRx.Tests.PowerShell;

/// <summary>The real PowerShell 7.6 engine in-process, with ImapRx.psd1 imported.</summary>
internal sealed class PowerShellHost : IDisposable
{
    private readonly Runspace _runspace;

    internal PowerShellHost()
    {
        // Like an interactive en-US session; the runspace takes its UI culture (and so its help folder) from here.
        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo("en-US");
        var state = InitialSessionState.CreateDefault2();
        _runspace = RunspaceFactory.CreateRunspace(state);
        _runspace.Open();
        Run($"Import-Module '{ManifestPath}' -ErrorAction Stop");
    }

    internal static string RepositoryRoot { get; } = FindRoot();

    internal static string ManifestPath => Path.Combine(RepositoryRoot, "ImapRx.psd1");

    internal Result Run(string script, IDictionary<string, object?>? variables = null)
    {
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = _runspace;
        foreach (var pair in variables ?? new Dictionary<string, object?>())
        {
            _runspace.SessionStateProxy.SetVariable(pair.Key, pair.Value);
        }

        ps.AddScript(script);
        var output = ps.Invoke();
        return new Result(output, ps.Streams.Error.ToList(), ps.Streams.Progress.ToList(), ps.Streams.Verbose.Select(v => v.Message).ToList());
    }

    /// <summary>What Tab offers at the end of <paramref name="input"/>, as it would be inserted.</summary>
    internal List<string> Complete(string input)
    {
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = _runspace;
        var completion = CommandCompletion.CompleteInput(input, input.Length, null, ps);
        return completion.CompletionMatches.Select(m => m.CompletionText).ToList();
    }

    /// <summary>Starts a script and returns the handle so a test can stop it like Ctrl+C does.</summary>
    internal (System.Management.Automation.PowerShell Shell, IAsyncResult Pending, PSDataCollection<PSObject> Output) Start(string script)
    {
        var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript(script);
        var output = new PSDataCollection<PSObject>();
        return (ps, ps.BeginInvoke<PSObject, PSObject>(null, output), output);
    }

    public void Dispose() => _runspace.Dispose();

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ImapRx.psd1")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("ImapRx.psd1 not found above " + AppContext.BaseDirectory);
    }

    internal sealed record Result(Collection<PSObject> Output, List<ErrorRecord> Errors, List<ProgressRecord> Progress, List<string> Verbose)
    {
        /// <summary>
        /// Output objects of the ImapRx type with this short name. They are matched by name, not by CLR type: on
        /// PowerShell 7 the module's types live in its own assembly load context, so they are not this test's types.
        /// </summary>
        internal List<PSObject> Objects(string typeName) => Output.Where(o => o.BaseObject.GetType().Name == typeName).ToList();

        internal string AllText() => string.Join("\n", Output.Select(o => o?.ToString()).Concat(Errors.Select(e => e.ToString() + " " + e.Exception)).Concat(Verbose));
    }
}
