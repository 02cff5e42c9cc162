using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using HammingIndex.MultiIndex;
using HammingIndex.Search;

namespace HammingIndex.Tests.MultiIndex;

/// <summary>Multi-index radius and k-NN searches equal brute force on random scenarios.</summary>
public class MultiIndexSearchProperties
{
    private const int Queries = 4;

    [Property(MaxTest = 60)]
    public Property RadiusAndTopKEqualBruteForce() => Prop.ForAll(MultiIndexCase.Arbitrary, c =>
    {
        var rng = new Random(c.Seed);
        var (store, reference, codes) = c.Populate(rng, c.Count);
        using (store)
        {
            var index = new MultiIndexHash(store, c.Options());
            if (c.SubstringCount != 0) Assert.Equal(c.SubstringCount, index.SubstringCount);
            Assert.True(index.SubstringLengths.Max() - index.SubstringLengths.Min() <= 1);
            Assert.Equal(c.Bits, index.SubstringLengths.Sum());
            CheckQueries(c, rng, index, reference, codes);
        }
    });

    [Property(MaxTest = 40)]
    public Property EqualBruteForceAfterAppendsAndDeletes() => Prop.ForAll(MultiIndexCase.Arbitrary, c =>
    {
        var rng = new Random(c.Seed);
        int built = c.Count / 2;
        var (store, reference, codes) = c.Populate(rng, built);
        using (store)
        {
            var index = new MultiIndexHash(store, c.Options(maxDelta: long.MaxValue));
            ulong[] more = c.Codes(rng, c.Count - built);
            long[] moreIds = MultiIndexCase.Ids(rng, c.Count - built, 1_000_000);
            store.AppendRange(more, moreIds);
            reference.Add(more, moreIds);
            codes = [.. codes, .. more];
            Assert.Equal(built, index.IndexedCount);
            Assert.Equal(c.Count - built, index.DeltaCount);
            DeleteSome(rng, store, reference, [.. Enumerable.Range(0, built).Select(i => (long)i), .. moreIds]);
            CheckQueries(c, rng, index, reference, codes);
            Assert.Equal(built, index.IndexedCount); // still searched as a delta

            index.Rebuild();
            Assert.Equal(0, index.DeltaCount);
            CheckQueries(c, rng, index, reference, codes);

            store.Compact(); // renumbers positions: the next search must rebuild
            long generation = store.Generation;
            CheckQueries(c, rng, index, reference, codes);
            Assert.Equal(generation, index.Tables.Generation);
        }
    });

    [Property(MaxTest = 30)]
    public Property SmallDeltaLimitRebuildsOnSearch() => Prop.ForAll(MultiIndexCase.Arbitrary, c =>
    {
        var rng = new Random(c.Seed);
        var (store, reference, codes) = c.Populate(rng, c.Count / 2);
        using (store)
        {
            var index = new MultiIndexHash(store, c.Options(maxDelta: 3));
            ulong[] more = c.Codes(rng, c.Count - c.Count / 2);
            long[] moreIds = MultiIndexCase.Ids(rng, more.Length / c.Layout.WordsPerCode, 500_000);
            store.AppendRange(more, moreIds);
            reference.Add(more, moreIds);
            CheckQueries(c, rng, index, reference, [.. codes, .. more]);
            Assert.True(index.DeltaCount <= 3);
        }
    });

    [Property(MaxTest = 40)]
    public Property SearchesThatStopAtAWorkLimitAreExactWhenTheyFinish() => Prop.ForAll(MultiIndexCase.Arbitrary, c =>
    {
        var rng = new Random(c.Seed);
        var (store, reference, codes) = c.Populate(rng, c.Count);
        using (store)
        {
            var index = new MultiIndexHash(store, c.Options());
            for (int q = 0; q < Queries; q++)
            {
                ulong[] query = TestCodes.QueryNear(rng, c.Layout, codes, 0.05);
                double limit = rng.NextDouble() * 200 * Math.Max(1, c.Count);
                int radius = rng.Next(c.Bits + 1);
                var found = new List<Neighbor>();
                if (index.TryWithinRadius(query, radius, found, new SearchBudget(limit), out _))
                    Assert.Equal(reference.WithinRadius(query, radius), found);
                int k = 1 + rng.Next(c.Count + 2);
                var results = new Neighbor[Math.Min(k, c.Count)];
                int written = index.TryTopK(query, k, new SearchBudget(limit), results, out _);
                if (written >= 0) Assert.Equal(reference.TopK(query, k), results[..written]);
                if (index.TryTopK(query, k, new SearchBudget(limit), out Neighbor[]? array, out _)) Assert.Equal(reference.TopK(query, k), array);
                // A trusted class's search probes its first rings unpriced (none, some or all of the budget),
                // with the store's reads at a learnt price: exact when it finishes, and never past the hard
                // cap by more than the step that crossed it.
                double price = 0.5 + 3.5 * rng.NextDouble();
                var trusted = new SearchBudget(limit) { FreeUnits = limit * rng.Next(3) / 2.0, StorePrice = price };
                if (index.TryTopK(query, k, trusted, out array, out _, out double spent)) Assert.Equal(reference.TopK(query, k), array);
                else Assert.True(spent <= 2 * limit + price * SearchCostModel.ScanCost(c.Count, c.Layout.WordsPerCode) + 1_000, $"spent {spent} of {limit}");
            }
        }
    });

    /// <summary>
    /// Short substrings (2 to 8 bits) give every table a small ball, so radius searches gather the balls'
    /// bucket ranges before probing (up to <see cref="RadiusProbe.GatheredKeys"/> keys; past that, at large
    /// radii, the remaining tables are estimated and probed in place) and k-NN rings are counted and probed
    /// in one pass; at every budget of the door, with appends in the delta, the answers equal brute force.
    /// </summary>
    [Property(MaxTest = 40)]
    public Property GatheredBallsAndRingsEqualBruteForce() => Prop.ForAll(ShortSubstringCases, c =>
    {
        var rng = new Random(c.Seed);
        var (store, reference, codes) = c.Populate(rng, c.Count);
        using (store)
        {
            var index = new MultiIndexHash(store, c.Options(maxDelta: long.MaxValue));
            Assert.Equal(c.SubstringCount, index.SubstringCount);
            ulong[] more = c.Codes(rng, rng.Next(4));
            long[] moreIds = MultiIndexCase.Ids(rng, more.Length / c.Layout.WordsPerCode, 1_000_000);
            store.AppendRange(more, moreIds);
            reference.Add(more, moreIds);
            CheckQueries(c, rng, index, reference, [.. codes, .. more]);
        }
    });

    private static Arbitrary<MultiIndexCase> ShortSubstringCases { get; } = Arb.From(
        from bits in Gen.Elements(64, 100, 256)
        from length in Gen.Choose(2, 8)
        from count in Gen.Frequency((1, Gen.Constant(0)), (1, Gen.Choose(1, 5)), (6, Gen.Choose(6, 300)))
        from clustered in Gen.Elements(false, true)
        from seed in Gen.Choose(0, int.MaxValue)
        from codesInTables in Gen.Elements<bool?>(true, false, null)
        select new MultiIndexCase(bits, count, (bits + length - 1) / length, clustered, seed, codesInTables));

    private static void DeleteSome(Random rng, HammingIndex.Storage.CodeStore store, ReferenceSearch reference, long[] ids)
    {
        foreach (long id in ids)
        {
            if (rng.Next(5) != 0) continue;
            store.TryDelete(id);
            reference.Delete(id);
        }
    }

    private static void CheckQueries(MultiIndexCase c, Random rng, MultiIndexHash index, ReferenceSearch reference, ulong[] codes)
    {
        var door = new MultiIndexSearcher(index);
        for (int q = 0; q < Queries; q++)
        {
            ulong[] query = TestCodes.QueryNear(rng, c.Layout, codes, rng.NextDouble() * 0.1);
            foreach (int radius in c.Radii(rng))
            {
                Neighbor[] expected = reference.WithinRadius(query, radius);
                Assert.Equal(expected, index.WithinRadius(query, radius));
                CheckFrontDoor(door, expected, d => d.WithinRadius(query, radius), d =>
                {
                    var list = new List<Neighbor> { new(-1, -1) }; // appended after what the caller holds
                    d.WithinRadius(query, radius, list);
                    Assert.Equal(new Neighbor(-1, -1), list[0]);
                    return [.. list.Skip(1)];
                });
            }
            foreach (int k in c.Ks(rng, index.Store.Count))
            {
                Neighbor[] expected = reference.TopK(query, k);
                Assert.Equal(expected, index.TopK(query, k));
                CheckFrontDoor(door, expected, d => d.TopK(query, k), d =>
                {
                    var buffer = new Neighbor[k + 1];
                    return buffer[..d.TopK(query, k, buffer)];
                });
            }
        }
    }

    /// <summary>
    /// The front door on its own cost model, forced onto the multi-index, forced onto the scan, at budgets
    /// that run out mid-search and at budgets large enough for the k-th-distance estimate to commit; both
    /// the allocating form and the one into the caller's buffer.
    /// </summary>
    private static void CheckFrontDoor(MultiIndexSearcher door, Neighbor[] expected, Func<MultiIndexSearcher, SearchResult> search,
        Func<MultiIndexSearcher, Neighbor[]> intoBuffer)
    {
        foreach (double fraction in new[] { 1, double.PositiveInfinity, 0, 0.03, 0.3, 3, 30 })
        {
            door.ScanCostScale = fraction;
            door.ResetBackoff();
            Assert.Equal(expected, intoBuffer(door));
            door.ResetBackoff();
            SearchResult result = search(door);
            Assert.Equal(expected, result.Neighbors);
            if (result.Path == SearchPath.Scan) Assert.True(result.CandidatesVerified >= door.Store.Count);
            if (fraction == 0 && result.Path == SearchPath.MultiIndex) Assert.Equal(0, result.CandidatesVerified); // free only
            if (double.IsPositiveInfinity(fraction) && door.Store.Count > 0) Assert.Equal(SearchPath.MultiIndex, result.Path);
        }
        door.ScanCostScale = 1;
    }
}
