namespace ImapRx.Tests.Server;

/// <summary>
/// Tests that measure the process's managed heap or thread count (<c>GC.GetTotalMemory</c> sees every test's
/// objects): they get their own Dovecot and run alone, after every parallel collection has finished, so another
/// test's corpus or event log is never counted as theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryCollection : ICollectionFixture<DovecotFixture>
{
    public const string Name = "Memory";
}
