namespace HammingIndex.Orleans.Shards;

/// <summary>Where a silo keeps the shards it holds.</summary>
/// <remarks>
/// Every silo of a cluster must see the same <see cref="RootDirectory"/> (one machine, or a shared
/// volume): when a silo dies, Orleans activates its shards on another silo, which reopens them from
/// these files. Each shard is the folder <c>{RootDirectory}/{index}/shard-{n:D4}</c>.
/// </remarks>
public sealed class ShardStorageOptions
{
    /// <summary>The folder that holds one folder per index.</summary>
    public string RootDirectory { get; set; } = "";
}
