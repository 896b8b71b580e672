using System.Management.Automation;
using System.Management.Automation.Language;

namespace ImapRx.Tests.PowerShell;

public sealed class ModuleManifestTests
{
    // The manifest, exports, help and every cmdlet's behaviour are checked by the Pester suite under real pwsh
    // (tests/pester, run by scripts/test.sh); this only keeps a broken test file from reaching it.
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
