namespace ImapRx.Tests.Server;

/// <summary>
/// Server tests that drive other programs (dotnet pack and run, PowerShell, the samples, the docs' blocks): their
/// own <see cref="DovecotFixture"/>, so they run beside <see cref="DovecotCollection"/> instead of after it.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DovecotToolsCollection : ICollectionFixture<DovecotFixture>
{
    public const string Name = "Dovecot: packaging, PowerShell, samples and docs";
}
