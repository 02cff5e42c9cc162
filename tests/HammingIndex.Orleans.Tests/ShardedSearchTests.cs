using HammingIndex.Orleans.Client;

namespace HammingIndex.Orleans.Tests;

/// <summary>On a 3-silo cluster, the sharded index answers exactly as one node over the same codes.</summary>
[Collection(nameof(ClusterCollection))]
public sealed class ShardedSearchTests(ClusterFixture fixture)
{
    [Theory]
    [InlineData(64, false)]
    [InlineData(64, true)]
    [InlineData(256, false)]
    [InlineData(256, true)]
    public async Task AnswersEqualOneNodeWithAddsAndDeletesInterleaved(int bits, bool clustered)
    {
        var random = new Random(bits * 2 + (clustered ? 1 : 0));
        int words = bits / 64;
        string name = $"equal-{bits}-{(clustered ? "clustered" : "random")}";
        ShardedCodeIndex sharded = await ShardedCodeIndex.CreateAsync(fixture.Client, name, bits, shardCount: 5);
        using var reference = new OneNodeReference(bits);
        var live = new List<long>();
        long nextId = -500; // negative ids too

        // An empty index: k > n and r = bits return nothing, on every shard.
        await reference.AssertSameAnswersAsync(sharded, TestCodes.Random(random, 3, bits), [1, 7], [0, bits]);

        foreach (int size in new[] { 1, 997, 2048, 1501 })
        {
            ulong[] codes = clustered ? TestCodes.Clustered(random, size, bits) : TestCodes.Random(random, size, bits);
            var ids = new long[size];
            for (int i = 0; i < size; i++)
                ids[i] = live.Count > 0 && random.Next(40) == 0 ? live[random.Next(live.Count)] : nextId++; // some ids repeat
            live.AddRange(ids);
            await reference.AddAsync(sharded, codes, ids);

            long[] deletes = [.. Enumerable.Range(0, size / 10).Select(_ => live[random.Next(live.Count)]).Distinct(), nextId + 1_000_000];
            live.RemoveAll(deletes.Contains);
            await reference.DeleteAsync(sharded, deletes);

            // Queries: stored codes (exact hits), stored codes with a few bits flipped, and random codes.
            int n = codes.Length / words;
            var queries = new List<ulong>();
            for (int q = 0; q < 6; q++)
            {
                ulong[] query = codes.AsSpan(random.Next(n) * words, words).ToArray();
                if (q % 2 == 1) query[random.Next(words)] ^= 1UL << random.Next(64);
                queries.AddRange(query);
            }
            queries.AddRange(TestCodes.Random(random, 4, bits));
            int kAll = (int)reference.Store.LiveCount + 3;
            await reference.AssertSameAnswersAsync(sharded, [.. queries], [1, 10, kAll], [0, bits / 8, bits]);
        }
    }

    [Fact]
    public async Task ShardsHoldTheCodesTheirIdsHashTo()
    {
        const int bits = 64, shards = 4;
        ShardedCodeIndex sharded = await ShardedCodeIndex.CreateAsync(fixture.Client, "placement", bits, shards);
        long[] ids = Enumerable.Range(0, 4001).Select(i => (long)i * 7919).ToArray();
        await sharded.AddAsync(TestCodes.Random(new Random(3), ids.Length, bits), ids);
        var statuses = await sharded.StatusAsync();
        for (int s = 0; s < shards; s++)
            Assert.Equal(ids.Count(id => IdPlacement.ShardOf(id, shards) == s), statuses[s].LiveCount);
        // The shard placement spreads the 4 shards over all 3 silos.
        Assert.Equal(3, statuses.Select(st => st.Silo).Distinct().Count());
    }

    [Fact]
    public async Task AddStoreAddsEveryLiveCodeOfAStore()
    {
        const int bits = 128;
        var random = new Random(23);
        ShardedCodeIndex sharded = await ShardedCodeIndex.CreateAsync(fixture.Client, "import", bits, 3);
        using var reference = new OneNodeReference(bits);
        reference.Store.AppendRange(TestCodes.Clustered(random, 1000, bits), Enumerable.Range(0, 1000).Select(i => (long)i).ToArray());
        for (long id = 0; id < 1000; id += 9) reference.Store.TryDelete(id);
        reference.Store.TryDelete(999); // the last position deleted: the tail chunk still goes out

        Assert.Equal(reference.Store.LiveCount, await sharded.AddStoreAsync(reference.Store, chunkCodes: 97));
        await Assert.ThrowsAsync<ArgumentException>(() => sharded.AddStoreAsync(Storage.CodeStore.CreateInMemory(64)));
        await reference.AssertSameAnswersAsync(sharded, TestCodes.Clustered(random, 5, bits), [1, 10], [0, 20]);
    }

    [Fact]
    public async Task ReopeningChecksTheSpecAndAMissingIndexNamesTheShard()
    {
        await ShardedCodeIndex.CreateAsync(fixture.Client, "spec", 128, 3);
        ShardedCodeIndex reopened = await ShardedCodeIndex.OpenAsync(fixture.Client, "spec");
        Assert.Equal(128, reopened.Bits);
        Assert.Equal(3, reopened.ShardCount);

        var mismatch = await Assert.ThrowsAsync<ShardsUnavailableException>(() => ShardedCodeIndex.CreateAsync(fixture.Client, "spec", 64, 3));
        Assert.Equal([0, 1, 2], mismatch.Shards);
        Assert.Contains("128-bit", mismatch.Message);

        var missing = await Assert.ThrowsAsync<ShardsUnavailableException>(() => ShardedCodeIndex.OpenAsync(fixture.Client, "never-created"));
        Assert.Equal([0], missing.Shards);
        Assert.False(missing.Failures[0].TimedOut);
        Assert.Contains("does not exist", missing.Message);
    }

    [Fact]
    public async Task BadInputIsRefusedBeforeAnyShardIsAsked()
    {
        ShardedCodeIndex sharded = await ShardedCodeIndex.CreateAsync(fixture.Client, "input", 64, 2);
        await Assert.ThrowsAsync<ArgumentException>(() => sharded.AddAsync(new ulong[3], new long[2]));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => sharded.TopKAsync(new ulong[1], 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => sharded.WithinRadiusAsync(new ulong[1], 65));
        await Assert.ThrowsAsync<ArgumentException>(() => sharded.TopKAsync(new ulong[2], 1));
        await Assert.ThrowsAsync<ArgumentException>(() => ShardedCodeIndex.CreateAsync(fixture.Client, "../escape", 64, 2));
        Assert.Empty(await sharded.TopKBatchAsync(ReadOnlyMemory<ulong>.Empty, 3));
    }
}
