using HammingIndex.Search;
using HammingIndex.Storage;

namespace HammingIndex.Tests.Search;

public class ScanSearcherAllocationTests
{
    [Theory]
    [InlineData(64)]
    [InlineData(256)]
    public void SteadySingleQueryStreamAllocatesNothing(int bits)
    {
        using CodeStore store = SearchReference.RandomStore(7, bits, 20_000, 20_000, 5);
        var searcher = new ScanSearcher(store);
        var rng = new Random(3);
        ulong[][] queries = Enumerable.Range(0, 50).Select(_ => SearchReference.Query(store, rng)).ToArray();
        var results = new Neighbor[10];
        var hits = new List<Neighbor>(capacity: 20_000);
        int radius = bits / 4;

        void RunAll()
        {
            foreach (ulong[] q in queries)
            {
                searcher.TopK(q, 10, results);
                hits.Clear();
                searcher.WithinRadius(q, radius, hits);
            }
        }

        RunAll(); // warm-up: the pool creates its scratch, the JIT compiles
        // A per-query allocation shows in every round. The runtime itself may allocate once in a
        // round while it tiers methods up (an OSR or tier-1 method installed on this thread loads
        // a type), later on a loaded machine than on a quiet one, so the stream passes when one of
        // up to ten rounds of 100 queries allocates nothing.
        var rounds = new List<long>();
        do
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            RunAll();
            rounds.Add(GC.GetAllocatedBytesForCurrentThread() - before);
        }
        while (rounds[^1] != 0 && rounds.Count < 10);
        Assert.True(rounds[^1] == 0, $"bytes allocated per round of 100 queries: {string.Join(", ", rounds)}");
        Assert.Equal(SearchReference.TopK(store, queries[^1], 10), results); // and the answers are right
    }
}
