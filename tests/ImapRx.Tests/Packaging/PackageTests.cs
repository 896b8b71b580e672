using System.Diagnostics;
using System.IO.Compression;
using System.Reflection.Metadata;
using System.Text;
using System.Xml.Linq;
using ImapRx.Sandbox.Server;
using ImapRx.Tests.PowerShell;
using ImapRx.Tests.Server;

namespace ImapRx.Tests.Packaging;

/// <summary>
/// What a new user gets: the library packed as CI packs it (one pack), its contents checked, then restored into
/// a fresh console app from a local folder (one restore) and run against the sandbox server (one run).
/// </summary>
[Collection(DovecotToolsCollection.Name)]
public sealed class PackageTests(DovecotFixture fixture)
{
    private static readonly string Root = PowerShellHost.RepositoryRoot;

    // The consumer's whole program. The part between the markers is also the package readme's quick start.
    private const string ConsumerProgram = """
        using System.Reflection;
        using System.Security.Cryptography.X509Certificates;
        using ImapRx;
        using ImapRx.Configuration;

        var account = new ImapAccountOptions(args[0], args[2], ImapCredential.FromPassword(Environment.GetEnvironmentVariable("CONSUMER_PASSWORD")!))
        {
            Port = int.Parse(args[1]),
        #pragma warning disable SYSLIB0057 // the loader API is net9+; this reads the PEM certificate on every target
            TrustedCertificateAuthorities = new[] { new X509Certificate2(File.ReadAllBytes(args[3])) },
        #pragma warning restore SYSLIB0057
        };
        Console.WriteLine($"loaded {typeof(ImapRxClient).Assembly.Location}");
        Console.WriteLine($"version {typeof(ImapRxClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion}");

        // begin-snippet: package-quickstart
        await using var mail = new ImapRxClient(account);
        foreach (var folder in await mail.GetFoldersAsync())
        {
            Console.WriteLine($"{folder.FullName}: {folder.UnreadCount}/{folder.TotalCount} unread");
        }

        var unseen = await mail.SearchAsync("INBOX", "UNSEEN");
        foreach (var message in await mail.GetMessagesAsync("INBOX", new() { Uids = unseen.ToArray(), Limit = 10 }))
        {
            Console.WriteLine($"{message.Uid} {message.From}: {message.Subject}");
        }
        // end-snippet
        """;

    [DovecotFact]
    public async Task Pack_FreshConsoleAppFromLocalFolder_RestoresAndReadsTheSandboxMailbox()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, "INBOX", new CorpusGenerator(160) { MalformedInterval = 0 }.GenerateSmall(3));
        var version = ExpectedVersion();
        var work = Directory.CreateTempSubdirectory("imaprx-pack-").FullName;
        try
        {
            var feed = Path.Combine(work, "feed");
            Run(Root, "dotnet", "pack", Path.Combine(Root, "src", "ImapRx", "ImapRx.csproj"), "-c", "Pack", "-p:Optimize=true", "-o", feed, "-nologo",
                "-p:ContinuousIntegrationBuild=true"); // a configuration of its own: never reuses a non-CI Release build (scripts/demo.sh)

            AssertPackage(Path.Combine(feed, $"ImapRx.{version}.nupkg"), version);
            AssertSymbols(Path.Combine(feed, $"ImapRx.{version}.snupkg"));

            var app = WriteConsumer(work, feed, version);
            var output = Run(app, "dotnet", "run", "-c", "Release", "--", fixture.Server.Host, fixture.Server.TlsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                user.Name, fixture.Server.CaCertificatePath);

            // Restored from the local folder into the fresh package folder, and what ran is the packed assembly.
            var metadata = File.ReadAllText(Path.Combine(work, "packages", "imaprx", version, ".nupkg.metadata"));
            Assert.Contains(System.Text.Json.JsonSerializer.Serialize(feed), metadata, StringComparison.Ordinal);
            var loaded = System.Text.RegularExpressions.Regex.Match(output, @"^loaded (.+?)\r?$", System.Text.RegularExpressions.RegexOptions.Multiline).Groups[1].Value;
            using (var package = ZipFile.OpenRead(Path.Combine(feed, $"ImapRx.{version}.nupkg")))
            using (var packed = new MemoryStream())
            {
                package.GetEntry("lib/net8.0/ImapRx.dll")!.Open().CopyTo(packed);
                Assert.Equal(packed.ToArray(), File.ReadAllBytes(loaded));
            }

            Assert.Matches($@"version {System.Text.RegularExpressions.Regex.Escape(version)}(\+[0-9a-f]+)?\r?\n", output);
            // The corpus marks some messages seen: every unread one, and only those, is listed after the folders.
            var inbox = System.Text.RegularExpressions.Regex.Match(output, @"^INBOX: (\d+)/3 unread\r?$", System.Text.RegularExpressions.RegexOptions.Multiline);
            Assert.True(inbox.Success, output);
            var unread = int.Parse(inbox.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(unread, 1, 3);
            Assert.True(output.Split('\n').Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^[123] \S+@\S+: Small message")) == unread, output);
        }
        finally
        {
            Directory.Delete(work, true);
        }

        string Run(string directory, string file, params string[] arguments)
        {
            var start = new ProcessStartInfo(file, arguments)
            {
                WorkingDirectory = directory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.Environment["CONSUMER_PASSWORD"] = user.Password;
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment["DOTNET_NOLOGO"] = "1";
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"{file} {string.Join(' ', arguments)} did not finish in 5 minutes");
            }

            Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', arguments)} exited {process.ExitCode}:\n{stdout.Result}\n{stderr.Result}");
            return stdout.Result;
        }
    }

    private static string ExpectedVersion()
        => XDocument.Load(Path.Combine(Root, "Directory.Build.props")).Descendants("Version").Single().Value;

    private static void AssertPackage(string path, string version)
    {
        using var zip = ZipFile.OpenRead(path);
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("LICENSE", entries);
        Assert.Contains("README.md", entries);
        foreach (var tfm in new[] { "netstandard2.0", "net8.0" })
        {
            Assert.Contains($"lib/{tfm}/ImapRx.dll", entries);
            Assert.Contains($"lib/{tfm}/ImapRx.xml", entries);
        }

        Assert.Equal(File.ReadAllText(Path.Combine(Root, "LICENSE")), Read(zip, "LICENSE"));
        Assert.Equal(File.ReadAllText(Path.Combine(Root, "docs", "nuget-readme.md")), Read(zip, "README.md"));
        Assert.Contains("<member name=\"T:ImapRx.ImapRxClient\">", Read(zip, "lib/net8.0/ImapRx.xml"), StringComparison.Ordinal);

        var nuspec = XDocument.Parse(Read(zip, "ImapRx.nuspec"));
        string? Meta(string name) => nuspec.Descendants().SingleOrDefault(e => e.Name.LocalName == name)?.Value;
        Assert.Equal(version, Meta("version"));
        Assert.Equal("MIT", Meta("license"));
        Assert.Equal("expression", nuspec.Descendants().Single(e => e.Name.LocalName == "license").Attribute("type")?.Value);
        Assert.Equal("README.md", Meta("readme"));
        Assert.Contains("imap", Meta("tags")!.Split(' '));
        Assert.False(string.IsNullOrWhiteSpace(Meta("releaseNotes")));
        Assert.Null(Meta("projectUrl")); // no invented home page
        Assert.Null(nuspec.Descendants().SingleOrDefault(e => e.Name.LocalName == "repository")?.Attribute("url"));
    }

    private static void AssertSymbols(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        foreach (var tfm in new[] { "netstandard2.0", "net8.0" })
        {
            using var pdb = new MemoryStream();
            using (var entry = zip.GetEntry($"lib/{tfm}/ImapRx.pdb")!.Open())
            {
                entry.CopyTo(pdb);
            }

            pdb.Position = 0;
            using var provider = MetadataReaderProvider.FromPortablePdbStream(pdb);
            var reader = provider.GetMetadataReader();
            var documents = reader.Documents.Select(d => reader.GetString(reader.GetDocument(d).Name)).ToList();
            Assert.Contains("/_/src/ImapRx/ImapRxClient.cs", documents);
            var machinePaths = documents.Where(d => !d.StartsWith("/_/", StringComparison.Ordinal)).ToList();
            Assert.True(machinePaths.Count == 0, $"{tfm} PDB has machine paths: {string.Join(", ", machinePaths.Take(5))}");
        }
    }

    private static string Read(ZipArchive zip, string name)
    {
        using var reader = new StreamReader(zip.GetEntry(name)!.Open(), Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static string WriteConsumer(string work, string feed, string version)
    {
        var app = Path.Combine(work, "app");
        Directory.CreateDirectory(app);

        // Directory.Build.props/nuget.config of this repository must not leak in: the temp folder is outside it,
        // and this nuget.config clears every inherited source. ImapRx comes only from the local folder; the
        // dependencies from the machine's package cache (read as a plain folder feed) or the usual sources.
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var repositorySources = XDocument.Load(Path.Combine(Root, "nuget.config")).Descendants("add")
            .Select(e => (Key: e.Attribute("key")!.Value, Value: e.Attribute("value")!.Value)).ToList();
        var sources = new List<(string Key, string Value)> { ("local", feed), ("cache", cache) };
        sources.AddRange(repositorySources);
        var config = new XElement("configuration",
            new XElement("config", new XElement("add", new XAttribute("key", "globalPackagesFolder"), new XAttribute("value", Path.Combine(work, "packages")))),
            new XElement("packageSources", new XElement("clear"), sources.Select(s => new XElement("add", new XAttribute("key", s.Key), new XAttribute("value", s.Value)))),
            new XElement("packageSourceMapping",
                new XElement("packageSource", new XAttribute("key", "local"), new XElement("package", new XAttribute("pattern", "ImapRx"))),
                sources.Skip(1).Select(s => new XElement("packageSource", new XAttribute("key", s.Key), new XElement("package", new XAttribute("pattern", "*"))))));
        config.Save(Path.Combine(app, "nuget.config"));

        File.WriteAllText(Path.Combine(app, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="ImapRx" Version="[{version}]" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), ConsumerProgram);
        return app;
    }
}
