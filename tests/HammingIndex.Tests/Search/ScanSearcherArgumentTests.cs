using HammingIndex.Search;
using HammingIndex.Storage;

namespace HammingIndex.Tests.Search;

public class ScanSearcherArgumentTests
{
    private static (CodeStore Store, ScanSearcher Searcher) Make(int bits = 65)
    {
        CodeStore store = SearchReference.RandomStore(1, bits, 10, 10, 0);
        return (store, new ScanSearcher(store));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void QueryOfTheWrongLengthNamesQuery(int words)
    {
        (CodeStore store, ScanSearcher searcher) = Make();
        using var _ = store;
        var query = new ulong[words];
        Assert.Equal("query", Assert.Throws<ArgumentException>(() => searcher.TopK(query, 1)).ParamName);
        Assert.Equal("query", Assert.Throws<ArgumentException>(() => searcher.TopK(query, 1, new Neighbor[1])).ParamName);
        Assert.Equal("query", Assert.Throws<ArgumentException>(() => searcher.WithinRadius(query, 1)).ParamName);
        Assert.Equal("query", Assert.Throws<ArgumentException>(() => searcher.WithinRadius(query, 1, [])).ParamName);
    }

    [Fact]
    public void QueryWithPaddingBitsSetNamesQuery()
    {
        (CodeStore store, ScanSearcher searcher) = Make(65);
        using var _ = store;
        ulong[] query = [0, 1UL << 1];
        ArgumentException ex = Assert.Throws<ArgumentException>(() => searcher.TopK(query, 1));
        Assert.Equal("query", ex.ParamName);
        Assert.Contains("0x0000000000000002", ex.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void NonPositiveKIsOutOfRangeWithItsValue(int k)
    {
        (CodeStore store, ScanSearcher searcher) = Make();
        using var _ = store;
        ulong[] query = new ulong[2];
        foreach (Action call in new Action[]
                 {
                     () => searcher.TopK(query, k), () => searcher.TopK(query, k, new Neighbor[1]),
                     () => searcher.TopKBatch(query, k), () => searcher.TopKBatch(query, k, new Neighbor[1], new int[1]),
                 })
        {
            ArgumentOutOfRangeException ex = Assert.Throws<ArgumentOutOfRangeException>(call);
            Assert.Equal("k", ex.ParamName);
            Assert.Equal(k, ex.ActualValue);
        }
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(66)]
    public void RadiusOutside0ToBitsIsOutOfRangeWithItsValue(int radius)
    {
        (CodeStore store, ScanSearcher searcher) = Make(65);
        using var _ = store;
        ulong[] query = new ulong[2];
        foreach (Action call in new Action[]
                 {
                     () => searcher.WithinRadius(query, radius), () => searcher.WithinRadius(query, radius, []),
                     () => searcher.WithinRadiusBatch(query, radius),
                 })
        {
            ArgumentOutOfRangeException ex = Assert.Throws<ArgumentOutOfRangeException>(call);
            Assert.Equal("radius", ex.ParamName);
            Assert.Equal(radius, ex.ActualValue);
        }
    }

    [Fact]
    public void BatchOfPartialCodesNamesQueries()
    {
        (CodeStore store, ScanSearcher searcher) = Make(65);
        using var _ = store;
        ulong[] queries = new ulong[5];
        Assert.Equal("queries", Assert.Throws<ArgumentException>(() => searcher.TopKBatch(queries, 1)).ParamName);
        Assert.Equal("queries", Assert.Throws<ArgumentException>(() => searcher.TopKBatch(queries, 1, new Neighbor[9], new int[9])).ParamName);
        Assert.Equal("queries", Assert.Throws<ArgumentException>(() => searcher.WithinRadiusBatch(queries, 1)).ParamName);
    }

    [Fact]
    public void TooSmallResultBuffersAreNamed()
    {
        (CodeStore store, ScanSearcher searcher) = Make(65);
        using var _ = store;
        ulong[] queries = new ulong[4];
        Assert.Equal("results", Assert.Throws<ArgumentException>(() => searcher.TopK(queries.AsSpan(0, 2), 3, new Neighbor[2])).ParamName);
        Assert.Equal("results", Assert.Throws<ArgumentException>(() => searcher.TopKBatch(queries, 3, new Neighbor[5], new int[2])).ParamName);
        Assert.Equal("counts", Assert.Throws<ArgumentException>(() => searcher.TopKBatch(queries, 3, new Neighbor[6], new int[1])).ParamName);
    }

    [Fact]
    public void InvalidOptionsAreNamed()
    {
        using CodeStore store = CodeStore.CreateInMemory(64);
        Assert.Equal("options", Assert.Throws<ArgumentException>(() => new ScanSearcher(store, new ScanOptions { MaxDegreeOfParallelism = 0 })).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentException>(() => new ScanSearcher(store, new ScanOptions { HelperSpin = TimeSpan.FromTicks(-1) })).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentException>(() => new ScanSearcher(store, new ScanOptions { HelperSpin = TimeSpan.FromSeconds(2) })).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentException>(() => new ScanSearcher(store, new ScanOptions { KernelPath = (HammingIndex.Kernels.KernelPath)9 })).ParamName);
    }

    [Fact]
    public void SearchingADisposedStoreThrowsObjectDisposed()
    {
        (CodeStore store, ScanSearcher searcher) = Make(64);
        store.Dispose();
        ulong[] query = [0];
        Assert.Throws<ObjectDisposedException>(() => searcher.TopK(query, 1));
        Assert.Throws<ObjectDisposedException>(() => searcher.TopK(query, 1, new Neighbor[1]));
        Assert.Throws<ObjectDisposedException>(() => searcher.WithinRadius(query, 3));
        Assert.Throws<ObjectDisposedException>(() => searcher.TopKBatch(query, 1));
        Assert.Throws<ObjectDisposedException>(() => searcher.WithinRadiusBatch(query, 1));
    }
}
