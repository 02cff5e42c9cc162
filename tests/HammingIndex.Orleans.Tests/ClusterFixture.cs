[assembly: CollectionBehavior(DisableTestParallelization = true)] // the clusters share two cores with the rest of the machine

namespace HammingIndex.Orleans.Tests;

/// <summary>One 3-silo cluster shared by the tests of <see cref="ClusterCollection"/> (each test uses its own index name).</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private ShardCluster? _cluster;

    public ShardCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster is not started.");

    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync() => _cluster = await ShardCluster.StartAsync(3);

    public async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
    }
}

[CollectionDefinition(nameof(ClusterCollection))]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>;
