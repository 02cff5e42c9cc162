namespace HammingIndex.Orleans.Messages;

/// <summary>What a shard must be: its index's code length and shard count (checked against the shard's files on every open).</summary>
[GenerateSerializer, Immutable, Alias("HammingIndex.ShardSpec")]
public sealed record ShardSpec
{
    /// <summary>Code length in bits (8..4096).</summary>
    [Id(0)] public required int Bits { get; init; }

    /// <summary>Number of shards of the index (placement hashes ids over this many).</summary>
    [Id(1)] public required int ShardCount { get; init; }

    /// <summary>Substring count of the multi-index tables; 0 chooses from the code length and count.</summary>
    [Id(2)] public int SubstringCount { get; init; }
}
