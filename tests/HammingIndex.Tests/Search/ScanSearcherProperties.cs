using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using HammingIndex.Kernels;
using HammingIndex.Search;
using HammingIndex.Storage;

namespace HammingIndex.Tests.Search;

/// <summary>ScanSearcher against plain LINQ references on random stores, for every kernel path the CPU has.</summary>
public class ScanSearcherProperties
{
    public sealed record StoreCase(int Seed, int Bits, int Count, int Distinct, int DeletePercent)
    {
        public CodeStore Build() => SearchReference.RandomStore(Seed, Bits, Count, Distinct, DeletePercent);
    }

    private static readonly int[] Lengths = [8, 63, 64, 65, 128, 256, 4096];

    /// <summary>Random code lengths; empty, small and multi-block stores (2048 4096-bit codes fill a block); few distinct codes (ties); deletes.</summary>
    private static Arbitrary<StoreCase> Stores() =>
        (from bits in Gen.Elements(Lengths)
         from count in Gen.Frequency((1, Gen.Constant(0)), (8, Gen.Choose(1, 300)), (1, Gen.Choose(2040, 2300)))
         from distinct in Gen.Frequency((1, Gen.Choose(1, 4)), (3, Gen.Constant(int.MaxValue)))
         from deletePercent in Gen.Elements(0, 0, 10, 50)
         from seed in Gen.Choose(0, int.MaxValue)
         select new StoreCase(seed, bits, count, Math.Min(distinct, Math.Max(1, count)), deletePercent)).ToArbitrary();

    /// <summary>Searchers on every path: small chunks and kernel calls so that even small stores take many of them.</summary>
    private static IEnumerable<ScanSearcher> Searchers(CodeStore store)
    {
        yield return new ScanSearcher(store);
        foreach (KernelPath path in SearchReference.SupportedPaths())
            yield return new ScanSearcher(store, new ScanOptions { KernelPath = path, ChunkBytes = 512, CodesPerKernelCall = 64, QueryBlockSize = 3, MaxDegreeOfParallelism = 3 });
    }

    [Property(MaxTest = 60)]
    public Property TopKEqualsSortReference() => Prop.ForAll(Stores(), c =>
    {
        using CodeStore store = c.Build();
        var rng = new Random(c.Seed);
        foreach (ScanSearcher searcher in Searchers(store))
        {
            ulong[] query = SearchReference.Query(store, rng);
            foreach (int k in new[] { 1, rng.Next(1, c.Count + 2), c.Count + 3 })
            {
                Neighbor[] expected = SearchReference.TopK(store, query, k);
                Assert.Equal(expected, searcher.TopK(query, k));
                var buffer = new Neighbor[k + 2];
                int found = searcher.TopK(query, k, buffer);
                Assert.Equal(expected, buffer[..found]);
                Assert.Equal(Math.Min(k, store.LiveCount), found);
            }
        }
    });

    [Property(MaxTest = 40)]
    public Property WithinRadiusEqualsFilterReference() => Prop.ForAll(Stores(), c =>
    {
        using CodeStore store = c.Build();
        var rng = new Random(c.Seed);
        foreach (ScanSearcher searcher in Searchers(store))
        {
            ulong[] query = SearchReference.Query(store, rng);
            foreach (int r in Radii(store, query))
            {
                Neighbor[] expected = SearchReference.WithinRadius(store, query, r);
                Assert.Equal(expected, searcher.WithinRadius(query, r));
                var appended = new List<Neighbor> { new(-7, 99) };
                searcher.WithinRadius(query, r, appended);
                Assert.Equal(expected, appended.Skip(1));
            }
        }
    });

    /// <summary>Every r in 0..b for codes up to 256 bits; past that 0, b and each side of every distance present (every distinct outcome).</summary>
    private static IEnumerable<int> Radii(CodeStore store, ulong[] query)
    {
        if (store.Bits <= 256) return Enumerable.Range(0, store.Bits + 1);
        return SearchReference.All(store, query).SelectMany(n => new[] { n.Distance - 1, n.Distance })
            .Append(0).Append(store.Bits).Where(r => r >= 0).Distinct();
    }

    [Property(MaxTest = 40)]
    public Property BatchEqualsOneByOne() => Prop.ForAll(Stores(), Gen.Choose(0, 12).ToArbitrary(), (c, queryCount) =>
    {
        using CodeStore store = c.Build();
        var rng = new Random(c.Seed);
        ulong[][] queries = Enumerable.Range(0, queryCount).Select(_ => SearchReference.Query(store, rng)).ToArray();
        ulong[] flat = queries.SelectMany(q => q).ToArray();
        int k = rng.Next(1, c.Count + 3), radius = rng.Next(0, store.Bits + 1);
        foreach (ScanSearcher searcher in Searchers(store))
        {
            Neighbor[][] topK = searcher.TopKBatch(flat, k);
            Neighbor[][] within = searcher.WithinRadiusBatch(flat, radius);
            var buffer = new Neighbor[queryCount * k];
            var counts = new int[queryCount];
            searcher.TopKBatch(flat, k, buffer, counts);
            Assert.Equal(queryCount, topK.Length);
            Assert.Equal(queryCount, within.Length);
            for (int q = 0; q < queryCount; q++)
            {
                Neighbor[] one = searcher.TopK(queries[q], k);
                Assert.Equal(SearchReference.TopK(store, queries[q], k), one);
                Assert.Equal(one, topK[q]);
                Assert.Equal(one, buffer.AsSpan(q * k, counts[q]).ToArray());
                Assert.Equal(searcher.WithinRadius(queries[q], radius), within[q]);
            }
        }
    });

    [Property(MaxTest = 15)]
    public Property MemoryMappedStoreGivesTheSameResults() => Prop.ForAll(Stores(), c =>
    {
        using var dir = new Storage.TempDirectory();
        string path = dir.File("codes.hix");
        using (CodeStore written = SearchReference.RandomStore(c.Seed, c.Bits, c.Count, c.Distinct, c.DeletePercent, bits => CodeStore.Create(path, bits)))
            written.Flush();
        using CodeStore mapped = CodeStore.Open(path);
        using CodeStore memory = c.Build();
        var rng = new Random(c.Seed);
        ulong[] query = SearchReference.Query(memory, rng);
        int k = rng.Next(1, c.Count + 3), radius = rng.Next(0, c.Bits + 1);
        Assert.Equal(SearchReference.TopK(memory, query, k), SearchReference.TopK(mapped, query, k)); // same contents
        foreach (ScanSearcher searcher in Searchers(mapped))
        {
            Assert.Equal(SearchReference.TopK(memory, query, k), searcher.TopK(query, k));
            Assert.Equal(SearchReference.WithinRadius(memory, query, radius), searcher.WithinRadius(query, radius));
            Assert.Equal(SearchReference.TopK(memory, query, k), searcher.TopKBatch(query.Concat(query).ToArray(), k)[1]);
        }
    });

    [Property(MaxTest = 30)]
    public Property ResultsSkipDeletedIds() => Prop.ForAll(Stores(), c =>
    {
        using CodeStore store = c.Build();
        var rng = new Random(c.Seed);
        long[] ids;
        using (CodeStoreSnapshot snap = store.AcquireSnapshot())
            ids = Enumerable.Range(0, (int)snap.Count).Select(p => snap.GetId(p)).Distinct().ToArray();
        var deleted = ids.Where(_ => rng.Next(2) == 0).ToHashSet();
        foreach (long id in deleted) store.TryDelete(id);
        var searcher = new ScanSearcher(store, new ScanOptions { ChunkBytes = 512, CodesPerKernelCall = 64 });
        ulong[] query = SearchReference.Query(store, rng);
        Neighbor[] all = searcher.TopK(query, c.Count + 1);
        Assert.DoesNotContain(all, n => deleted.Contains(n.Id));
        Assert.Equal(SearchReference.TopK(store, query, c.Count + 1), all);
        Assert.DoesNotContain(searcher.WithinRadius(query, store.Bits), n => deleted.Contains(n.Id));
        Assert.All(searcher.TopKBatch(query.Concat(query).ToArray(), c.Count + 1), r => Assert.Equal(all, r));
    });
}
