using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using HammingIndex.Codes;
using HammingIndex.MultiIndex;
using HammingIndex.Search;

namespace HammingIndex.Tests.MultiIndex;

/// <summary>The front door's batches answer every query exactly as brute force (and a lone query) would.</summary>
public class MultiIndexBatchProperties
{
    [Property(MaxTest = 40)]
    public Property BatchesEqualBruteForceOnEveryPath() => Prop.ForAll(MultiIndexCase.Arbitrary, c =>
    {
        var rng = new Random(c.Seed);
        var (store, reference, codes) = c.Populate(rng, c.Count);
        using (store)
        {
            foreach (long id in Enumerable.Range(0, c.Count).Where(_ => rng.Next(8) == 0)) { store.TryDelete(id); reference.Delete(id); }
            var door = new MultiIndexSearcher(new MultiIndexHash(store, c.Options(maxDelta: long.MaxValue)));
            if (rng.Next(3) == 0) // codes appended after the build: searched as a delta beside the tables
            {
                int extra = 1 + rng.Next(20);
                ulong[] more = c.Codes(rng, extra);
                long[] ids = MultiIndexCase.Ids(rng, extra, 1_000_000);
                store.AppendRange(more, ids);
                reference.Add(more, ids);
            }
            // 0 queries, a few, and more than the batch share needs (8), near the codes or anywhere.
            int queryCount = rng.Next(4) switch { 0 => 0, 1 => 1 + rng.Next(7), _ => 8 + rng.Next(30) };
            ulong[] queries = Enumerable.Range(0, queryCount).SelectMany(_ => TestCodes.QueryNear(rng, c.Layout, codes, rng.NextDouble() * 0.1)).ToArray();
            int words = c.Layout.WordsPerCode;
            int k = rng.Next(3) == 0 ? c.Count + 1 + rng.Next(3) : 1 + rng.Next(12);
            int radius = rng.Next(3) == 0 ? rng.Next(c.Bits + 1) : rng.Next(Math.Min(c.Bits, 6) + 1);
            foreach (double fraction in new[] { 1, double.PositiveInfinity, 0, 0.03, 0.3 }) // the model's choice, either path forced, and budgets that run out mid-search
            {
                door.ScanCostScale = fraction;
                SearchResult[] nearest = door.TopKBatch(queries, k);
                SearchResult[] within = door.WithinRadiusBatch(queries, radius);
                // The span overload writes in place; stale entries around each answer must stay untouched past counts[q].
                var flat = Enumerable.Repeat(new Neighbor(-7, -7), queryCount * k + 3).ToArray();
                var counts = Enumerable.Repeat(-9, queryCount + 1).ToArray();
                door.TopKBatch(queries, k, flat, counts);
                Assert.Equal(-9, counts[queryCount]);
                Assert.All(flat[(queryCount * k)..], n => Assert.Equal(new Neighbor(-7, -7), n));
                // The answer-buffer overloads write entry q for query q and nothing past the queries.
                var sentinel = new SearchResult([new Neighbor(-5, -5)], SearchPath.Scan, -5);
                var nearestInto = Enumerable.Repeat(sentinel, queryCount + 2).ToArray();
                var withinInto = Enumerable.Repeat(sentinel, queryCount + 1).ToArray();
                door.TopKBatch(queries, k, nearestInto);
                door.WithinRadiusBatch(queries, radius, withinInto);
                Assert.Equal(sentinel, nearestInto[queryCount]);
                Assert.Equal(sentinel, nearestInto[queryCount + 1]);
                Assert.Equal(sentinel, withinInto[queryCount]);
                var lone = new Neighbor[k];
                Assert.Equal(queryCount, nearest.Length);
                Assert.Equal(queryCount, within.Length);
                for (int q = 0; q < queryCount; q++)
                {
                    ReadOnlySpan<ulong> query = queries.AsSpan(q * words, words);
                    Assert.Equal(reference.TopK(query, k), nearest[q].Neighbors);
                    Assert.Equal(lone[..door.TopK(query, k, lone)], flat.AsSpan(q * k, counts[q]).ToArray()); // as one by one
                    Assert.Equal(reference.TopK(query, k), flat.AsSpan(q * k, counts[q]).ToArray());
                    Assert.Equal(reference.WithinRadius(query, radius), within[q].Neighbors);
                    Assert.Equal(reference.TopK(query, k), nearestInto[q].Neighbors);
                    Assert.Equal(reference.WithinRadius(query, radius), withinInto[q].Neighbors);
                    Assert.Equal(within[q].Path, withinInto[q].Path);
                    // A radius batch probes a group of queries under one pin and scratch; each decides as it would alone.
                    SearchResult alone = door.WithinRadius(query, radius);
                    Assert.Equal(alone.Path, within[q].Path);
                    Assert.Equal(alone.CandidatesVerified, within[q].CandidatesVerified);
                    foreach (SearchResult answer in new[] { nearest[q], within[q] })
                    {
                        if (answer.Path == SearchPath.Scan) Assert.True(answer.CandidatesVerified >= store.Count);
                        if (double.IsPositiveInfinity(fraction) && store.Count > 0) Assert.Equal(SearchPath.MultiIndex, answer.Path);
                        if (fraction == 0 && answer.Path == SearchPath.MultiIndex) Assert.Equal(0, answer.CandidatesVerified); // free only
                    }
                }
            }
        }
    });

    [Fact]
    public void BatchesOnADisposedStoreThrowObjectDisposedItself()
    {
        var store = TestCodes.InMemoryStore(64, TestCodes.Uniform(new Random(5), new CodeLayout(64), 300));
        var door = new MultiIndexSearcher(store);
        ulong[] queries = TestCodes.Uniform(new Random(6), store.Layout, 20);
        store.Dispose();
        // Not an AggregateException from inside the parallel loop: the batch is refused before it starts.
        Assert.IsType<ObjectDisposedException>(Record.Exception(() => door.WithinRadiusBatch(queries, 3)));
        Assert.IsType<ObjectDisposedException>(Record.Exception(() => door.TopKBatch(queries, 5)));
        Assert.IsType<ObjectDisposedException>(Record.Exception(() => door.TopKBatch([], 5)));
        Assert.IsType<ObjectDisposedException>(Record.Exception(() => door.TopKBatch(queries, 5, new Neighbor[100], new int[20])));
        Assert.IsType<ObjectDisposedException>(Record.Exception(() => door.WithinRadiusBatch(queries, 3, new SearchResult[20])));
    }

    [Fact]
    public void BadBatchesAreRefusedNamingTheParameter()
    {
        using var store = TestCodes.InMemoryStore(100, TestCodes.Uniform(new Random(3), new CodeLayout(100), 40));
        var door = new MultiIndexSearcher(store);
        foreach (ulong[] bad in new[] { new ulong[3], new ulong[] { 0, 1UL << 50 } }) // not whole codes; padding bits set
        {
            Assert.Equal("queries", Assert.Throws<ArgumentException>(() => door.TopKBatch(bad, 2)).ParamName);
            Assert.Equal("queries", Assert.Throws<ArgumentException>(() => door.WithinRadiusBatch(bad, 2)).ParamName);
        }
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => door.TopKBatch(new ulong[4], 0)).ParamName);
        Assert.Equal("radius", Assert.Throws<ArgumentOutOfRangeException>(() => door.WithinRadiusBatch(new ulong[4], 101)).ParamName);
        Assert.Equal("radius", Assert.Throws<ArgumentOutOfRangeException>(() => door.WithinRadiusBatch(new ulong[4], -1)).ParamName);
        Assert.Equal("results", Assert.Throws<ArgumentException>(() => door.TopKBatch(new ulong[4], 3, new Neighbor[5], new int[2])).ParamName);
        Assert.Equal("counts", Assert.Throws<ArgumentException>(() => door.TopKBatch(new ulong[4], 3, new Neighbor[6], new int[1])).ParamName);
        Assert.Equal("queries", Assert.Throws<ArgumentException>(() => door.TopKBatch(new ulong[3], 3, new Neighbor[6], new int[2])).ParamName);
        Assert.Equal("answers", Assert.Throws<ArgumentException>(() => door.TopKBatch(new ulong[4], 3, new SearchResult[1])).ParamName);
        Assert.Equal("answers", Assert.Throws<ArgumentException>(() => door.WithinRadiusBatch(new ulong[4], 3, new SearchResult[1])).ParamName);
    }
}
