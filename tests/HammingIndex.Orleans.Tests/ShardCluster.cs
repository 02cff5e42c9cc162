using HammingIndex.Orleans.Hosting;
using HammingIndex.Orleans.Shards;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace HammingIndex.Orleans.Tests;

/// <summary>
/// A TestingHost cluster of in-process silos talking over TCP on 127.0.0.1, every silo holding shards
/// under one root folder (deleted on dispose unless kept for a restart), with the test fault hook.
/// </summary>
public sealed class ShardCluster : IAsyncDisposable
{
    private const string RootKey = "HammingShardRoot";
    private readonly bool _ownsRoot;

    private ShardCluster(TestCluster cluster, string root, bool ownsRoot)
    {
        Cluster = cluster;
        Root = root;
        _ownsRoot = ownsRoot;
    }

    public TestCluster Cluster { get; }

    public string Root { get; }

    public IClusterClient Client => Cluster.Client;

    /// <summary>Starts <paramref name="silos"/> silos over <paramref name="root"/> (a new temporary folder when null).</summary>
    public static async Task<ShardCluster> StartAsync(short silos = 3, string? root = null)
    {
        bool owns = root is null;
        root ??= Directory.CreateTempSubdirectory("hamming-orleans-").FullName;
        var builder = new TestClusterBuilder(silos);
        builder.Options.ConnectionTransport = ConnectionTransportType.TcpSocket; // real sockets on loopback
        builder.Options.ConfigureFileLogging = false;
        builder.Properties[RootKey] = root;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        TestCluster cluster = builder.Build();
        await cluster.DeployAsync();
        return new ShardCluster(cluster, root, owns);
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        if (_ownsRoot)
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
                // A temporary folder left behind is harmless.
            }
        }
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddHammingShards(siloBuilder.Configuration[RootKey]!);
            siloBuilder.Services.AddSingleton<IShardFaults>(TestFaults.Instance);
            // Declare a killed silo dead within a few seconds rather than the production defaults.
            siloBuilder.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
            });
        }
    }
}
