using HammingIndex.Orleans.Client;
using HammingIndex.Orleans.Messages;
using Orleans.TestingHost;

namespace HammingIndex.Orleans.Tests;

/// <summary>Flushed codes survive a killed silo and a whole-cluster restart: the shards reopen from disk.</summary>
public sealed class PersistenceTests
{
    [Fact]
    public async Task FlushedAddsSurviveASiloKillAndAClusterRestart()
    {
        const string name = "durable";
        const int bits = 64, shards = 6;
        // Patient for the work (first calls activate grains and JIT on a loaded machine), impatient only
        // where the test waits out a dead silo: there each unanswered try costs one timeout.
        var options = new ShardedIndexOptions { ShardTimeout = TimeSpan.FromSeconds(30) };
        var impatient = new ShardedIndexOptions { ShardTimeout = TimeSpan.FromSeconds(3) };
        string root = Directory.CreateTempSubdirectory("hamming-orleans-durable-").FullName;
        var random = new Random(17);
        ulong[] codes = TestCodes.Clustered(random, 3000, bits);
        long[] ids = Enumerable.Range(0, 3000).Select(i => (long)i * 3).ToArray();
        long[] deletes = ids.Where((_, i) => i % 7 == 0).ToArray();
        ulong[] queries = [.. TestCodes.Random(random, 4, bits), .. codes.AsSpan(0, 4)];
        try
        {
            using var reference = new OneNodeReference(bits);
            reference.Store.AppendRange(codes, ids);
            foreach (long id in deletes) reference.Store.TryDelete(id);

            await using (ShardCluster cluster = await ShardCluster.StartAsync(3, root))
            {
                ShardedCodeIndex sharded = await ShardedCodeIndex.CreateAsync(cluster.Client, name, bits, shards, options);
                await sharded.AddAsync(codes, ids);
                await sharded.DeleteAsync(deletes);
                ShardStatus[] flushed = await sharded.FlushAsync();
                Assert.All(flushed, s => Assert.Equal(s.Count, s.FlushedCount));
                ShardedCodeIndex quick = await ShardedCodeIndex.OpenAsync(cluster.Client, name, impatient);

                SiloHandle victim = cluster.Cluster.SecondarySilos.First(silo => flushed.Any(s => s.Silo == silo.SiloAddress.ToString()));
                int[] moved = flushed.Where(s => s.Silo == victim.SiloAddress.ToString()).Select(s => s.Shard).ToArray();
                await cluster.Cluster.KillSiloAsync(victim);

                // Until the cluster declares the silo dead its shards do not answer: an error, never fewer codes.
                ShardStatus[] after = await RetryUntilAnsweredAsync(() => quick.StatusAsync());
                await cluster.Cluster.StartAdditionalSiloAsync();
                foreach (int s in moved)
                {
                    Assert.NotEqual(victim.SiloAddress.ToString(), after[s].Silo);
                    Assert.True(after[s].ReopenedFromDisk);
                }
                await AssertFlushedCodesAnswerAsync(sharded, reference, queries);
            }

            // A new cluster over the same folder reopens every shard from disk.
            await using (ShardCluster restarted = await ShardCluster.StartAsync(3, root))
            {
                ShardedCodeIndex reopened = await ShardedCodeIndex.OpenAsync(restarted.Client, name, options);
                Assert.All(await reopened.StatusAsync(), s => Assert.True(s.ReopenedFromDisk));
                await AssertFlushedCodesAnswerAsync(reopened, reference, queries);
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task AssertFlushedCodesAnswerAsync(ShardedCodeIndex sharded, OneNodeReference reference, ulong[] queries)
    {
        ShardStatus[] status = await sharded.StatusAsync();
        Assert.Equal(reference.Store.LiveCount, status.Sum(s => s.LiveCount));
        await reference.AssertSameAnswersAsync(sharded, queries, [1, 10, 5000], [0, 6, 64]);
    }

    /// <summary>Retries while shards are unavailable (a bounded wait for the cluster to notice the kill).</summary>
    private static async Task<T> RetryUntilAnsweredAsync<T>(Func<Task<T>> call)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                return await call();
            }
            catch (ShardsUnavailableException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
    }
}
