namespace ImapRx.Orleans.Tests.Infrastructure;

/// <summary>
/// Tests that start whole clusters run one at a time: two clusters at once on a shared 2-core machine would measure
/// each other, and their failover times are asserted.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "Orleans clusters";
}
