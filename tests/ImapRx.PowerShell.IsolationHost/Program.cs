using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;
using System.Runtime.Loader;
using System.Security;

// Usage: IsolationHost <ImapRx.psd1> <foreign MimeKit.dll> <host> <port> <user>; the password comes on stdin.
// Loads the foreign MimeKit into PowerShell's context first, as another module would, then imports ImapRx and
// reads mail. Prints "MIMEKIT <version> <context>" per loaded MimeKit, then the subjects, then "OK" or the errors.
var (manifest, foreign, server, port, user) = (args[0], args[1], args[2], args[3], args[4]);
var password = Console.In.ReadLine() ?? string.Empty;

var theirs = Assembly.LoadFrom(foreign);
Console.WriteLine($"FOREIGN {theirs.GetName().Version}");

System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo("en-US");
using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
runspace.Open();
var secure = new SecureString();
foreach (var c in password)
{
    secure.AppendChar(c);
}

runspace.SessionStateProxy.SetVariable("credential", new PSCredential(user, secure));
using var ps = PowerShell.Create();
ps.Runspace = runspace;
ps.AddScript($$"""
    Import-Module '{{manifest}}' -ErrorAction Stop
    Connect-ImapServer -Server '{{server}}' -Port {{port}} -Encryption None -Credential $credential -ErrorAction Stop | ForEach-Object { 'CONNECTED' }
    Get-ImapMessage -Folder INBOX -IncludeBody -ErrorAction Stop | ForEach-Object { 'SUBJECT ' + $_.Subject }
    (Get-Command Get-ImapMessage).ImplementingType.Assembly.FullName | ForEach-Object { 'CMDLETS ' + $_ }
    Disconnect-ImapServer
    """);
var output = ps.Invoke();
foreach (var line in output)
{
    Console.WriteLine(line);
}

foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies().Where(a => a.GetName().Name == "MimeKit"))
{
    Console.WriteLine($"MIMEKIT {assembly.GetName().Version} {AssemblyLoadContext.GetLoadContext(assembly)?.Name}");
}

foreach (var error in ps.Streams.Error)
{
    Console.WriteLine("ERROR " + error + " " + error.Exception?.GetType().FullName);
}

Console.WriteLine(ps.HadErrors ? "FAILED" : "OK");
return ps.HadErrors ? 1 : 0;
