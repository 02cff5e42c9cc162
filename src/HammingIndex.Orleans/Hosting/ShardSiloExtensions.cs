using HammingIndex.Orleans.Shards;
using Microsoft.Extensions.DependencyInjection;

namespace HammingIndex.Orleans.Hosting;

/// <summary>Adds the shard grains' services to a silo.</summary>
public static class ShardSiloExtensions
{
    /// <summary>
    /// Lets this silo hold shards under <paramref name="rootDirectory"/> (the same folder on every silo
    /// of the cluster: see <see cref="ShardStorageOptions"/>) and registers the shard placement.
    /// </summary>
    public static ISiloBuilder AddHammingShards(this ISiloBuilder builder, string rootDirectory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(rootDirectory);
        builder.Services.Configure<ShardStorageOptions>(o => o.RootDirectory = rootDirectory);
        builder.Services.AddSingleton<ShardFiles>();
        builder.Services.AddPlacementDirector<ShardPlacementStrategy, ShardPlacementDirector>();
        return builder;
    }
}
