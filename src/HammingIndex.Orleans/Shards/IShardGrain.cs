using HammingIndex.Orleans.Messages;

namespace HammingIndex.Orleans.Shards;

/// <summary>
/// One shard of a sharded index: a grain keyed <c>"{index}/{shard}"</c> that owns that shard's on-disk
/// index on the silo where it is active. Clients use <see cref="Client.ShardedCodeIndex"/>, which routes
/// adds and deletes by id and fans searches out to every shard.
/// </summary>
[Alias("HammingIndex.IShardGrain")]
public interface IShardGrain : IGrainWithStringKey
{
    /// <summary>Creates the shard's files with <paramref name="spec"/>, or opens them and checks they match it.</summary>
    [Alias("Open")]
    Task<ShardStatus> Open(ShardSpec spec);

    /// <summary>What the shard holds; fails when the shard was never created.</summary>
    [Alias("Status")]
    Task<ShardStatus> Status();

    /// <summary>Appends codes with their ids (durable after the next <see cref="Flush"/>); returns the shard's new count.</summary>
    [Alias("Add")]
    Task<long> Add(CodeBatch batch);

    /// <summary>Deletes every live code carrying each id; returns how many were deleted.</summary>
    [Alias("Delete")]
    Task<int> Delete(long[] ids);

    /// <summary>Makes every add and delete so far durable (and saves rebuilt tables).</summary>
    [Alias("Flush")]
    Task<ShardStatus> Flush();

    /// <summary>The <paramref name="k"/> nearest live codes of this shard for each query.</summary>
    [Alias("TopK")]
    Task<PackedAnswers> TopK(QueryBatch queries, int k, CancellationToken cancellationToken);

    /// <summary>Every live code of this shard within <paramref name="radius"/> of each query.</summary>
    [Alias("WithinRadius")]
    Task<PackedAnswers> WithinRadius(QueryBatch queries, int radius, CancellationToken cancellationToken);
}
