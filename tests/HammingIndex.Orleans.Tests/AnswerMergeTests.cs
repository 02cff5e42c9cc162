using HammingIndex.MultiIndex;
using HammingIndex.Search;
using HammingIndex.Orleans.Client;
using HammingIndex.Orleans.Messages;

namespace HammingIndex.Orleans.Tests;

/// <summary>The client-side merge against a plain reference (sort the union, cut to k), without a cluster.</summary>
public sealed class AnswerMergeTests
{
    [Fact]
    public void MergeEqualsSortingTheUnion()
    {
        var random = new Random(5);
        for (int round = 0; round < 200; round++)
        {
            int shards = random.Next(1, 6), queries = random.Next(0, 4), k = random.Next(1, 12);
            var perShard = new SearchResult[shards][];
            for (int s = 0; s < shards; s++)
            {
                perShard[s] = new SearchResult[queries];
                for (int q = 0; q < queries; q++)
                {
                    Neighbor[] list = Enumerable.Range(0, random.Next(0, 9))
                        .Select(_ => new Neighbor(random.Next(-20, 40), random.Next(0, 5))).Order().ToArray(); // ties and repeated ids
                    perShard[s][q] = new SearchResult(list, (SearchPath)random.Next(2), random.Next(100));
                }
            }
            PackedAnswers[] packed = perShard.Select(r => PackedAnswers.Pack(r)).ToArray();
            SearchResult[] merged = AnswerMerge.Merge(packed, queries, k);
            for (int q = 0; q < queries; q++)
            {
                Neighbor[] expected = perShard.SelectMany(r => r[q].Neighbors).Order().Take(k).ToArray();
                Assert.Equal(expected, merged[q].Neighbors);
                Assert.Equal(perShard.Sum(r => r[q].CandidatesVerified), merged[q].CandidatesVerified);
                Assert.Equal(perShard.Any(r => r[q].Path == SearchPath.Scan) ? SearchPath.Scan : SearchPath.MultiIndex, merged[q].Path);
            }
        }
    }

    [Fact]
    public void AMalformedShardAnswerIsRefused()
    {
        PackedAnswers good = PackedAnswers.Pack([new SearchResult([new Neighbor(1, 2)], SearchPath.Scan, 1)]);
        good.CheckShape(1, 0);
        var bad = new PackedAnswers([0, 2], [1], [2], [1], [1]); // says 2 neighbours, holds 1
        var e = Assert.Throws<InvalidDataException>(() => bad.CheckShape(1, 3));
        Assert.Contains("Shard 3", e.Message);
        Assert.Throws<InvalidDataException>(() => good.CheckShape(2, 0));
    }

    [Fact]
    public void PlacementIsInRangeAndSpreadsIds()
    {
        const int shards = 8, n = 80_000;
        var counts = new int[shards];
        for (long id = -n / 2; id < n / 2; id++) counts[IdPlacement.ShardOf(id, shards)]++;
        Assert.All(counts, c => Assert.InRange(c, n / shards * 9 / 10, n / shards * 11 / 10));
        Assert.Equal(0, IdPlacement.ShardOf(long.MinValue, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => IdPlacement.ShardOf(1, 0));
    }
}
