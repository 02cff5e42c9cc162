namespace HammingIndex.Orleans.Client;

/// <summary>How a <see cref="ShardedCodeIndex"/> talks to its shards.</summary>
public sealed class ShardedIndexOptions
{
    /// <summary>
    /// How long one shard may take to answer one call (a search, a batch, an add chunk, a flush);
    /// a shard that takes longer fails the call with <see cref="ShardsUnavailableException"/>.
    /// </summary>
    public TimeSpan ShardTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest message of codes an add sends to one shard, in bytes of codes and ids (larger adds are split).</summary>
    public int MaxAddBytes { get; init; } = 4 << 20;

    internal ShardedIndexOptions Checked()
    {
        if (ShardTimeout <= TimeSpan.Zero && ShardTimeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(ShardTimeout), ShardTimeout, "The shard timeout must be positive (or infinite).");
        if (MaxAddBytes < 1024)
            throw new ArgumentOutOfRangeException(nameof(MaxAddBytes), MaxAddBytes, "An add message must hold at least 1024 bytes.");
        return this;
    }
}
