namespace ImapRx.Tests.Server;

/// <summary>
/// Server tests that mostly wait (watches, sync, pool and fault timing): their own <see cref="DovecotFixture"/>, so
/// they run beside <see cref="DovecotCollection"/> instead of after it. Within the collection, classes still run one
/// after another, and no test sees another collection's server, log or connection counts.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DovecotWatchCollection : ICollectionFixture<DovecotFixture>
{
    public const string Name = "Dovecot: watching, sync, pool and faults";
}
