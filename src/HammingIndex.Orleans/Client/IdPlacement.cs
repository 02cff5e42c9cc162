namespace HammingIndex.Orleans.Client;

/// <summary>
/// Which shard owns an id: <c>mix(id) mod shardCount</c>, with <c>mix</c> the SplitMix64 finaliser
/// (so consecutive ids spread evenly). The rule is part of the on-disk format of a sharded index: a
/// code lives on the shard this returns, and deletes are sent only there, so it must never change
/// for an existing index (nor may its shard count).
/// </summary>
public static class IdPlacement
{
    /// <summary>The shard, 0..<paramref name="shardCount"/>-1, that owns <paramref name="id"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shardCount"/> is less than 1.</exception>
    public static int ShardOf(long id, int shardCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        ulong z = (ulong)id;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z % (ulong)shardCount);
    }
}
