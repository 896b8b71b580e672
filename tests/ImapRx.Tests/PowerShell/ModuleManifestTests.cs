using System.Management.Automation;
using System.Management.Automation.Language;

namespace ImapRx.Tests.PowerShell;

public sealed class ModuleManifestTests
{
    private static readonly string[] Cmdlets =
    {
        "Connect-ImapServer", "Disconnect-ImapServer", "Get-ImapFolder", "Get-ImapMessage", "Search-ImapMessage",
        "Set-ImapMessageFlag", "Copy-ImapMessage", "Move-ImapMessage", "Remove-ImapMessage", "Save-ImapMessage", "Save-ImapAttachment", "Watch-ImapFolder", "Sync-ImapFolder",
    };

    [Fact]
    public void TestModuleManifest_Manifest_PassesAndDeclaresBothEditions()
    {
        using var host = new PowerShellHost();

        var result = host.Run($"Test-ModuleManifest -Path '{PowerShellHost.ManifestPath}'");

        Assert.Empty(result.Errors);
        var module = Assert.IsType<PSModuleInfo>(Assert.Single(result.Output).BaseObject);
        Assert.Equal(new[] { "Desktop", "Core" }, module.CompatiblePSEditions);
        Assert.Equal(Cmdlets.OrderBy(c => c), module.ExportedCmdlets.Keys.OrderBy(c => c));
    }

    [Fact]
    public void ImportModule_Manifest_ExportsEveryCmdletAndNothingElse()
    {
        using var host = new PowerShellHost();

        var result = host.Run("(Get-Module ImapRx).ExportedCommands.Keys");

        Assert.Equal(Cmdlets.OrderBy(c => c), result.Output.Select(o => o.ToString()).OrderBy(c => c));
    }

    [Fact]
    public void GetHelp_EveryCmdlet_HasSynopsisAndExample()
    {
        using var host = new PowerShellHost();
        foreach (var cmdlet in Cmdlets)
        {
            var help = host.Run($"Get-Help {cmdlet} -Full").Output.Single();
            var synopsis = help.Properties["Synopsis"]?.Value?.ToString()?.Trim() ?? string.Empty;
            Assert.False(string.IsNullOrWhiteSpace(synopsis) || synopsis.StartsWith(cmdlet, StringComparison.Ordinal), $"{cmdlet} has no synopsis");
            var examples = host.Run($"(Get-Help {cmdlet}).examples.example.code").Output.Select(o => o.ToString()).ToList();
            Assert.True(examples.Count > 0 && examples.All(code => code.Contains(cmdlet.Split('-')[1], StringComparison.Ordinal)), $"{cmdlet}: every example must use it");
        }
    }

    [Fact]
    public void PesterFiles_All_ParseWithoutErrors()
    {
        var files = Directory.GetFiles(Path.Combine(PowerShellHost.RepositoryRoot, "tests", "pester"), "*.ps1");

        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            Parser.ParseFile(file, out _, out var errors);
            Assert.True(errors.Length == 0, $"{file}: {string.Join("; ", errors.Select(e => e.Message))}");
        }
    }
}
