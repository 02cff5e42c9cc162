using HammingIndex.Codes;
using HammingIndex.MultiIndex;
using HammingIndex.Search;
using HammingIndex.Storage;

namespace HammingIndex.Tests.MultiIndex;

/// <summary>Searches on several threads while one writer appends (forcing delta scans and rebuilds) and compacts.</summary>
public class MultiIndexConcurrencyTests
{
    [Fact]
    public async Task ConcurrentSearchesStayExactWhileAWriterAppendsAndCompacts()
    {
        var layout = new CodeLayout(64);
        var rng = new Random(23);
        ulong[] codes = TestCodes.Clustered(rng, layout, 4000, 20, 0.04);
        using CodeStore store = TestCodes.InMemoryStore(64, codes);
        var reference = new ReferenceSearch(1);
        reference.Add(codes, Enumerable.Range(0, 4000).Select(i => (long)i).ToArray());
        ulong[][] queries = Enumerable.Range(0, 32).Select(_ => new[] { codes[rng.Next(codes.Length)] ^ (1UL << rng.Next(64)) }).ToArray();
        // The writer appends the queries' bitwise complements: far from every query (checked below), never
        // within radius 5 nor among the 5 nearest, so every answer is fixed while the store changes.
        Neighbor[][] expectedRadius = queries.Select(q => reference.WithinRadius(q, 5)).ToArray();
        Neighbor[][] expectedTop = queries.Select(q => reference.TopK(q, 5)).ToArray();
        // Precondition: every appended code is farther from every query than its 5th neighbour and radius 5.
        foreach (ulong[] q in queries)
        foreach (ulong[] other in queries)
            Assert.True(System.Numerics.BitOperations.PopCount(q[0] ^ ~other[0]) > Math.Max(5, expectedTop.Max(t => t[^1].Distance)));

        var door = new MultiIndexSearcher(store, new MultiIndexOptions { MaxDeltaCount = 64 });
        using var stop = new CancellationTokenSource();
        Task writer = Task.Run(() =>
        {
            for (int round = 0; round < 40; round++)
            {
                ulong[] far = queries.Select(q => ~q[0]).ToArray();
                store.AppendRange(far, Enumerable.Range(0, far.Length).Select(i => 1_000_000L + round * 100 + i).ToArray());
                if (round % 10 == 9) { store.TryDelete(1_000_000L + round * 100); store.Compact(); }
                Thread.Sleep(1);
            }
            stop.Cancel();
        });
        Task[] readers = Enumerable.Range(0, 3).Select(t => Task.Run(() =>
        {
            var local = new Random(t);
            while (!stop.IsCancellationRequested)
            {
                int q = local.Next(queries.Length);
                Assert.Equal(expectedRadius[q], door.Index.WithinRadius(queries[q], 5));
                Assert.Equal(expectedTop[q], door.Index.TopK(queries[q], 5));
                Assert.Equal(expectedRadius[q], door.WithinRadius(queries[q], 5).Neighbors);
                Assert.Equal(expectedTop[q], door.TopK(queries[q], 5).Neighbors);
            }
        })).ToArray();
        await Task.WhenAll([writer, .. readers]);
        Assert.Equal(expectedTop[0], door.Index.TopK(queries[0], 5)); // this search rebuilds for the last compaction
        Assert.Equal(store.Generation, door.Index.Tables.Generation);
        Assert.True(door.Index.DeltaCount <= 64, $"delta {door.Index.DeltaCount}");
    }

    [Fact]
    public void ThreadsAlternatingBetweenIndexesOfEveryShapeStayExact()
    {
        // Each thread reuses one scratch across searches (MultiIndexHash.RentScratch), whichever index
        // they go to: indexes of different code lengths, substring counts and table layouts, searched in
        // turn on the same threads, must each answer as brute force does.
        var rng = new Random(41);
        var indexes = new List<(MultiIndexSearcher Door, ReferenceSearch Reference, CodeLayout Layout, ulong[] Codes, CodeStore Store)>();
        foreach ((int bits, bool codesInTables) in new[] { (64, false), (256, true), (100, false), (128, true) })
        {
            var layout = new CodeLayout(bits);
            var store = CodeStore.CreateInMemory(bits);
            ulong[] codes = TestCodes.Clustered(rng, layout, 1500, 12, 0.05);
            long[] ids = Enumerable.Range(0, 1500).Select(i => (long)i).ToArray();
            store.AppendRange(codes, ids);
            var reference = new ReferenceSearch(layout.WordsPerCode);
            reference.Add(codes, ids);
            indexes.Add((new MultiIndexSearcher(store, new MultiIndexOptions { CodesInTables = codesInTables }), reference, layout, codes, store));
        }
        try
        {
            Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, thread =>
            {
                var local = new Random(thread);
                for (int step = 0; step < 200; step++)
                {
                    var (door, reference, layout, codes, _) = indexes[local.Next(indexes.Count)];
                    int words = layout.WordsPerCode;
                    ulong[] query = codes.AsSpan(local.Next(codes.Length / words) * words, words).ToArray();
                    query[0] ^= 1UL << local.Next(Math.Min(64, layout.Bits));
                    int k = 1 + local.Next(12), radius = local.Next(6);
                    Assert.Equal(reference.TopK(query, k), door.Index.TopK(query, k));
                    Assert.Equal(reference.WithinRadius(query, radius), door.Index.WithinRadius(query, radius));
                    Assert.Equal(reference.TopK(query, k), door.TopK(query, k).Neighbors);
                    Assert.Equal(reference.WithinRadius(query, radius), door.WithinRadius(query, radius).Neighbors);
                }
            });
        }
        finally
        {
            foreach (var entry in indexes) entry.Store.Dispose();
        }
    }
}
