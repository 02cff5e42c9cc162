using HammingIndex.Orleans.Client;

namespace HammingIndex.Orleans.Tests;

/// <summary>A shard that stops answering fails the whole call, naming it; it never yields a smaller answer.</summary>
[Collection(nameof(ClusterCollection))]
public sealed class ShardFailureTests(ClusterFixture fixture)
{
    [Fact]
    public async Task AHungShardIsNamedAndNoPartialAnswerIsReturned()
    {
        const string name = "hung";
        const int bits = 64, hungShard = 2;
        ShardedCodeIndex sharded = await ShardedCodeIndex.CreateAsync(fixture.Client, name, bits, 4); // first activations may be slow
        ShardedCodeIndex impatient = await ShardedCodeIndex.OpenAsync(fixture.Client, name, new ShardedIndexOptions { ShardTimeout = TimeSpan.FromSeconds(2) });
        using var reference = new OneNodeReference(bits);
        var random = new Random(11);
        await reference.AddAsync(sharded, TestCodes.Random(random, 800, bits), Enumerable.Range(0, 800).Select(i => (long)i).ToArray());
        ulong[] queries = TestCodes.Random(random, 5, bits);

        await reference.AssertSameAnswersAsync(sharded, queries, [10], [20]); // warm: only the hung shard may be slow below

        TestFaults.Instance.Hang(name, hungShard);
        try
        {
            var lone = await Assert.ThrowsAsync<ShardsUnavailableException>(() => impatient.TopKAsync(queries.AsMemory(0, 1), 10));
            Assert.Equal([hungShard], lone.Shards);
            Assert.True(lone.Failures[0].TimedOut);
            Assert.Contains($"shard {hungShard} did not answer within 2 s", lone.Message);

            var batch = await Assert.ThrowsAsync<ShardsUnavailableException>(() => impatient.WithinRadiusBatchAsync(queries, 20).AsTask());
            Assert.Equal([hungShard], batch.Shards);

            // The caller's cancellation is a cancellation, not a shard failure.
            var patient = new ShardedIndexOptions { ShardTimeout = TimeSpan.FromSeconds(30) };
            ShardedCodeIndex waiting = await ShardedCodeIndex.OpenAsync(fixture.Client, name, patient);
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.TopKBatchAsync(queries, 3, cancel.Token).AsTask());
        }
        finally
        {
            TestFaults.Instance.Release(name, hungShard);
        }

        // Answering again, and exactly.
        await reference.AssertSameAnswersAsync(sharded, queries, [10], [20]);
    }
}
