using System.Collections.Concurrent;
using HammingIndex.Orleans.Shards;

namespace HammingIndex.Orleans.Tests;

/// <summary>
/// The fault hook every test silo holds: a shard marked hung does not answer searches until the
/// call is cancelled or the shard is released (and never longer than a minute).
/// </summary>
internal sealed class TestFaults : IShardFaults
{
    public static TestFaults Instance { get; } = new();

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _hung = new();

    public void Hang(string index, int shard) =>
        _hung.TryAdd(ShardKey.Format(index, shard), new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public void Release(string index, int shard)
    {
        if (_hung.TryRemove(ShardKey.Format(index, shard), out TaskCompletionSource? gate)) gate.TrySetResult();
    }

    public async Task BeforeSearchAsync(string index, int shard, CancellationToken cancellationToken)
    {
        if (!_hung.TryGetValue(ShardKey.Format(index, shard), out TaskCompletionSource? gate)) return;
        await gate.Task.WaitAsync(TimeSpan.FromMinutes(1), cancellationToken);
    }
}
