using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace ImapRx.PowerShell.Loader;

/// <summary>
/// The module's own assembly load context on PowerShell 7+: the cmdlets and every assembly they bring (MailKit,
/// MimeKit, BouncyCastle, System.Reactive, Polly, ...) load from the module's bin folder into it, so another
/// module that loaded a different MailKit into PowerShell's context neither breaks ImapRx nor is broken by it.
/// PowerShell's own assemblies (System.Management.Automation and the runtime) still come from the default
/// context, which is what lets PowerShell recognise the cmdlets.
/// </summary>
public sealed class ModuleLoadContext : AssemblyLoadContext
{
    private static readonly object Gate = new();
    private static ModuleLoadContext? s_instance;
    private readonly string _directory;

    private ModuleLoadContext(string directory)
        : base("ImapRx", isCollectible: false)
    {
        _directory = directory;
    }

    /// <summary>Loads the cmdlet assembly from <paramref name="binDirectory"/> into the module's context (once per process).</summary>
    public static Assembly LoadCmdletAssembly(string binDirectory)
    {
        if (string.IsNullOrEmpty(binDirectory) || !Directory.Exists(binDirectory))
        {
            throw new ArgumentException($"The module's bin folder '{binDirectory}' does not exist.", nameof(binDirectory));
        }

        lock (Gate)
        {
            // Importing the module again (Import-Module -Force) must reuse the context: a second copy of the
            // cmdlet types would not be the ones PowerShell already knows.
            s_instance ??= new ModuleLoadContext(Path.GetFullPath(binDirectory));
            return s_instance.LoadFromAssemblyName(new AssemblyName("ImapRx.PowerShell"));
        }
    }

    /// <inheritdoc/>
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is null || IsPowerShellOwn(assemblyName.Name))
        {
            return null;
        }

        var path = Path.Combine(_directory, assemblyName.Name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null; // null: the runtime's own (System.*, netstandard)
    }

    private static bool IsPowerShellOwn(string name)
        => name.Equals("System.Management.Automation", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("Microsoft.PowerShell.", StringComparison.OrdinalIgnoreCase)
            || name.Equals("ImapRx.PowerShell.Loader", StringComparison.OrdinalIgnoreCase);
}
