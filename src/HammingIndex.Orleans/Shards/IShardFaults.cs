namespace HammingIndex.Orleans.Shards;

/// <summary>
/// Test hook: when a silo's services hold one, every shard search awaits it first, so a test can
/// make a shard stop answering (until the call is cancelled) without touching the network.
/// </summary>
internal interface IShardFaults
{
    Task BeforeSearchAsync(string index, int shard, CancellationToken cancellationToken);
}
