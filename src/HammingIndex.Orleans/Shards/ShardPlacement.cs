using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace HammingIndex.Orleans.Shards;

/// <summary>
/// Places shard <c>n</c> of an index on silo <c>(n + hash(index)) mod s</c> of the <c>s</c> compatible
/// silos sorted by address, so the shards of an index spread evenly over the silos up at the time
/// (the grains do not move when silos join later; a shard whose silo dies is placed again by the same
/// rule over the silos left).
/// </summary>
[GenerateSerializer, Immutable, Alias("HammingIndex.ShardPlacementStrategy")]
public sealed class ShardPlacementStrategy : PlacementStrategy
{
    internal static ShardPlacementStrategy Instance { get; } = new();
}

/// <summary>Marks a grain class as placed by <see cref="ShardPlacementStrategy"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class ShardPlacementAttribute() : PlacementAttribute(ShardPlacementStrategy.Instance);

/// <summary>The placement director of <see cref="ShardPlacementStrategy"/>.</summary>
internal sealed class ShardPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        SiloAddress[] silos = context.GetCompatibleSilos(target);
        Array.Sort(silos);
        (string index, int shard) = ShardKey.Parse(target.GrainIdentity.Key.ToString()!);
        uint offset = 2166136261; // FNV-1a of the index name: stable across processes
        foreach (char c in index) offset = (offset ^ c) * 16777619;
        return Task.FromResult(silos[(int)(((ulong)offset + (ulong)shard) % (ulong)silos.Length)]);
    }
}
