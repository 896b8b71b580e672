using System.Management.Automation;

namespace ImapRx.Tests.PowerShell;

internal static class PSObjectExtensions
{
    /// <summary>A property of an output object, read the way a script reads it.</summary>
    internal static T Get<T>(this PSObject value, string name) => (T)value.Properties[name].Value;
}
