namespace ImapRx.Tests.Server;

/// <summary>
/// The xunit collection sharing one <see cref="DovecotFixture"/>: <c>[Collection(DovecotCollection.Name)]</c>.
/// Its classes run one after another; <see cref="DovecotWatchCollection"/> and <see cref="DovecotToolsCollection"/>
/// hold the rest of the server tests, each on its own Dovecot, so the three run side by side without sharing a server.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DovecotCollection : ICollectionFixture<DovecotFixture>
{
    public const string Name = "Dovecot";
}
