namespace ImapRx.Tests.Server;

/// <summary>The xunit collection sharing one <see cref="DovecotFixture"/>: <c>[Collection(DovecotCollection.Name)]</c>.</summary>
[CollectionDefinition(Name)]
public sealed class DovecotCollection : ICollectionFixture<DovecotFixture>
{
    public const string Name = "Dovecot";
}
