using System.Xml.Linq;
using ImapRx.Diagnostics;
using ImapRx.Tests.PowerShell;

namespace ImapRx.Tests.Diagnostics;

public sealed class ImapRxDiagnosticsVersionTests
{
    [Fact]
    public void MeterAndActivitySource_Version_IsTheOneInDirectoryBuildProps()
    {
        var version = XDocument.Load(Path.Combine(PowerShellHost.RepositoryRoot, "Directory.Build.props")).Descendants("Version").Single().Value;

        Assert.Equal(version, ImapRxDiagnostics.Meter.Version);
        Assert.Equal(version, ImapRxDiagnostics.Source.Version);
    }
}
