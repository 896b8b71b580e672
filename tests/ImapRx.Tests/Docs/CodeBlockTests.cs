using System.Management.Automation;
using System.Management.Automation.Language;
using System.Security;
using System.Text.RegularExpressions;
using ImapRx.Sandbox.Server;
using ImapRx.Tests.PowerShell;
using ImapRx.Tests.Server;

namespace ImapRx.Tests.Docs;

/// <summary>
/// Every code block in README.md and docs/*.md is compiled or run: a C# block must be the snippet it names
/// (<c>&lt;!-- snippet: NAME --&gt;</c>, a <c>// begin-snippet: NAME</c> region of compiled code in samples/ or
/// tests/); a PowerShell block must parse and use only real cmdlets and parameters, and one marked
/// <c>&lt;!-- run: sandbox --&gt;</c> is run on a session connected to the sandbox server; a shell block may only run
/// scripts of this repository that exist and parse. Any other kind of block fails.
/// </summary>
[Collection(DovecotToolsCollection.Name)]
public sealed partial class CodeBlockTests(DovecotFixture fixture)
{
    private static readonly string Root = PowerShellHost.RepositoryRoot;

    public static TheoryData<string> Documents() => new(DocumentPaths());

    private static List<string> DocumentPaths()
        => Directory.GetFiles(Path.Combine(Root, "docs"), "*.md").Order(StringComparer.Ordinal).Select(f => Path.GetRelativePath(Root, f)).Prepend("README.md").ToList();

    [Theory]
    [MemberData(nameof(Documents))]
    public void CodeBlocks_EveryBlock_IsOfAKindThatIsChecked(string document)
    {
        var notChecked = Blocks(document).Where(b => b.Language is not ("csharp" or "powershell" or "bash")).ToList();

        Assert.True(notChecked.Count == 0, $"{document}: blocks no test checks: {string.Join(", ", notChecked.Select(b => $"line {b.Line} '{b.Language}'"))}");
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void CSharpBlocks_Document_AreTheCompiledSnippetsTheyName(string document)
    {
        var snippets = Snippets();
        foreach (var block in Blocks(document).Where(b => b.Language == "csharp"))
        {
            Assert.True(block.Snippet is not null, $"{document} line {block.Line}: a C# block needs <!-- snippet: NAME --> above it");
            Assert.True(snippets.TryGetValue(block.Snippet!, out var code), $"{document} line {block.Line}: no '// begin-snippet: {block.Snippet}' in samples/ or tests/");
            Assert.True(Normalize(code!) == Normalize(block.Code), $"{document} line {block.Line}: the block differs from snippet '{block.Snippet}':\n{code}");
        }
    }

    [Fact]
    public void CSharpBlocks_AllDocuments_ShowEverySample()
    {
        var shown = DocumentPaths().SelectMany(Blocks).Select(b => b.Snippet).ToHashSet();

        Assert.All(new[] { "account", "quickstart", "webapi", "worker", "multi-account", "live-pipeline", "virtual-time-test", "rx-testing-shim", "fake-client", "fake-client-test" }, name => Assert.Contains(name, shown));
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void PowerShellBlocks_Document_ParseAndUseOnlyRealCmdletsAndParameters(string document)
    {
        using var host = new PowerShellHost();
        foreach (var block in Blocks(document).Where(b => b.Language == "powershell"))
        {
            var ast = Parser.ParseInput(block.Code, out _, out var errors);
            Assert.True(errors.Length == 0, $"{document} line {block.Line}: {string.Join("; ", errors.Select(e => e.Message))}");
            foreach (var command in ast.FindAll(a => a is CommandAst, searchNestedScriptBlocks: true).Cast<CommandAst>())
            {
                var name = command.GetCommandName();
                if (name is null || name is "Get-Credential" || !name.Contains("-Imap", StringComparison.Ordinal))
                {
                    continue; // core commands; Get-Credential needs an interactive host
                }

                var info = host.Run($"Get-Command {name} -ErrorAction SilentlyContinue").Output.Select(o => o.BaseObject).OfType<CommandInfo>().SingleOrDefault();
                Assert.True(info is not null, $"{document} line {block.Line}: no command {name}");
                var parameters = info!.Parameters.Values.SelectMany(p => p.Aliases.Prepend(p.Name)).ToHashSet(StringComparer.OrdinalIgnoreCase);
                foreach (var parameter in command.CommandElements.OfType<CommandParameterAst>())
                {
                    Assert.True(parameters.Contains(parameter.ParameterName), $"{document} line {block.Line}: {name} has no -{parameter.ParameterName}");
                }
            }
        }
    }

    [DovecotFact]
    public async Task PowerShellBlocks_MarkedRunSandbox_RunAgainstTheSandboxWithoutErrors()
    {
        var user = await fixture.CreateUserAsync();
        await new MaildirWriter(fixture.Server).WriteAsync(user, "INBOX", new CorpusGenerator(40) { MalformedInterval = 0 }.GenerateSmall(6));
        var blocks = DocumentPaths().SelectMany(d => Blocks(d).Select(b => (Document: d, Block: b))).Where(x => x.Block.RunOnSandbox).ToList();
        Assert.NotEmpty(blocks);

        foreach (var (document, block) in blocks)
        {
            Assert.Equal("powershell", block.Language);
            using var host = new PowerShellHost();
            var secure = new SecureString();
            foreach (var c in user.Password)
            {
                secure.AppendChar(c);
            }

            var connect = host.Run(
                "Connect-ImapServer -Server $server -Port $port -Credential $cred -TrustedCaPath $ca",
                new Dictionary<string, object?>
                {
                    ["server"] = fixture.Server.Host,
                    ["port"] = fixture.Server.TlsPort,
                    ["cred"] = new PSCredential(user.Name, secure),
                    ["ca"] = fixture.Server.CaCertificatePath,
                });
            Assert.Empty(connect.Errors);

            var result = host.Run(block.Code);

            Assert.True(result.Errors.Count == 0, $"{document} line {block.Line}: {string.Join("\n", result.Errors)}");
            Assert.Contains(result.Output, o => o.BaseObject.GetType().Name == "MailFolderInfo");
            Assert.Contains(result.Output, o => o.BaseObject.GetType().Name == "MailMessageInfo");
        }
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void ShellBlocks_Document_RunOnlyScriptsThatExistAndParse(string document)
    {
        foreach (var block in Blocks(document).Where(b => b.Language == "bash"))
        {
            foreach (var line in block.Code.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')))
            {
                var match = ScriptCommand().Match(line);
                Assert.True(match.Success, $"{document} line {block.Line}: '{line}' is not 'bash <script> [arguments]'");
                var script = Path.Combine(Root, match.Groups[1].Value);
                Assert.True(File.Exists(script), $"{document} line {block.Line}: {match.Groups[1].Value} does not exist");
                using var bash = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("bash", new[] { "-n", script }) { RedirectStandardError = true })!;
                var syntax = bash.StandardError.ReadToEnd();
                bash.WaitForExit();
                Assert.True(bash.ExitCode == 0, $"{match.Groups[1].Value} does not parse: {syntax}");
            }
        }
    }

    [Fact]
    public void Readme_SetUp_IsExactlyTheTwoCommands()
    {
        var shell = Blocks("README.md").Where(b => b.Language == "bash").Select(b => b.Code.Trim()).ToList();

        Assert.Equal(new[] { "bash scripts/demo.sh", "bash scripts/test.sh" }, shell);
    }

    internal sealed record Block(int Line, string Language, string Code, string? Snippet, bool RunOnSandbox);

    internal static List<Block> Blocks(string document)
    {
        var lines = File.ReadAllLines(Path.Combine(Root, document));
        var blocks = new List<Block>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("```", StringComparison.Ordinal))
            {
                continue;
            }

            var language = lines[i][3..].Trim();
            var start = i;
            var end = Array.FindIndex(lines, i + 1, l => l.StartsWith("```", StringComparison.Ordinal));
            Assert.True(end > i, $"{document} line {i + 1}: unclosed code block");
            var marker = i > 0 ? lines[i - 1].Trim() : string.Empty;
            var snippet = SnippetMarker().Match(marker) is { Success: true } m ? m.Groups[1].Value : null;
            blocks.Add(new Block(start + 1, language, string.Join("\n", lines[(i + 1)..end]), snippet, marker == "<!-- run: sandbox -->"));
            i = end;
        }

        return blocks;
    }

    private static Dictionary<string, string> Snippets()
    {
        var snippets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var folder in new[] { "samples", "tests" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, folder), "*.cs", SearchOption.AllDirectories))
            {
                if (file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    || file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                {
                    continue;
                }

                foreach (Match match in SnippetRegion().Matches(File.ReadAllText(file)))
                {
                    Assert.True(snippets.TryAdd(match.Groups[1].Value, match.Groups[2].Value), $"snippet '{match.Groups[1].Value}' is defined twice");
                }
            }
        }

        return snippets;
    }

    // Indentation and blank lines may differ (a snippet sits inside a method); everything else must be equal.
    private static string Normalize(string code)
        => string.Join("\n", code.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));

    [GeneratedRegex(@"^<!-- snippet: (\S+) -->$")]
    private static partial Regex SnippetMarker();

    [GeneratedRegex(@"// begin-snippet: (\S+)\r?\n(.*?)\r?\n[ \t]*// end-snippet", RegexOptions.Singleline)]
    private static partial Regex SnippetRegion();

    [GeneratedRegex(@"^bash ([\w./-]+\.sh)( .*)?$")]
    private static partial Regex ScriptCommand();
}
