using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using HammingIndex.Indexing;
using HammingIndex.MultiIndex;
using HammingIndex.Search;
using HammingIndex.Tests.MultiIndex;

namespace HammingIndex.Tests.Indexing;

/// <summary>Every <see cref="IHammingSearcher"/> (scan, raw tables, front door, index) answers every overload as brute force does.</summary>
public class SearcherInterfaceProperties
{
    [Property(MaxTest = 30)]
    public Property EveryImplementationEqualsBruteForceThroughTheInterface() => Prop.ForAll(MultiIndexCase.Arbitrary, c =>
    {
        var rng = new Random(c.Seed);
        ulong[] codes = c.Codes(rng, c.Count);
        long[] ids = Enumerable.Range(0, c.Count).Select(i => (long)i).ToArray();
        using var index = CodeIndex.CreateInMemory(c.Bits, new CodeIndexOptions { Tables = c.Options(), RebuildInBackground = false });
        index.AddRange(codes, ids);
        var reference = new ReferenceSearch(c.Layout.WordsPerCode);
        reference.Add(codes, ids);
        foreach (long id in ids.Where(_ => rng.Next(6) == 0)) { index.Delete(id); reference.Delete(id); }
        IHammingSearcher[] searchers =
        [
            index,
            new ScanSearcher(index.Store),
            new MultiIndexHash(index.Store, c.Options()),
            new MultiIndexSearcher(index.Store, c.Options()),
        ];
        int words = c.Layout.WordsPerCode;
        int queryCount = rng.Next(5);
        ulong[] queries = Enumerable.Range(0, queryCount).SelectMany(_ => TestCodes.QueryNear(rng, c.Layout, codes, 0.05)).ToArray();
        foreach (IHammingSearcher searcher in searchers)
        {
            Assert.Equal(c.Bits, searcher.Bits);
            Assert.Equal(index.Count, searcher.Count);
            foreach (int k in c.Ks(rng, c.Count))
            {
                var buffer = new Neighbor[k];
                var flat = new Neighbor[queryCount * k];
                var counts = new int[queryCount];
                SearchResult[] batch = searcher.TopKBatch(queries, k, CancellationToken.None);
                searcher.TopKBatch(queries, k, flat, counts);
                SearchResult[] viaAsync = searcher.TopKBatchAsync(queries, k).AsTask().Result;
                var into = new SearchResult[queryCount + 1];
                searcher.TopKBatch(queries, k, into, new CancellationTokenSource().Token);
                Assert.Null(into[queryCount].Neighbors); // nothing past the queries
                for (int q = 0; q < queryCount; q++)
                {
                    ReadOnlySpan<ulong> query = queries.AsSpan(q * words, words);
                    Neighbor[] expected = reference.TopK(query, k);
                    Assert.Equal(expected, searcher.TopK(query, k).Neighbors);
                    Assert.Equal(expected, buffer[..searcher.TopK(query, k, buffer)]);
                    Assert.Equal(expected, batch[q].Neighbors);
                    Assert.Equal(expected, flat.AsSpan(q * k, counts[q]).ToArray());
                    Assert.Equal(expected, viaAsync[q].Neighbors);
                    Assert.Equal(expected, into[q].Neighbors);
                }
            }
            foreach (int r in c.Radii(rng))
            {
                SearchResult[] batch = searcher.WithinRadiusBatch(queries, r, new CancellationTokenSource().Token);
                SearchResult[] viaAsync = searcher.WithinRadiusBatchAsync(queries, r).AsTask().Result;
                var into = new SearchResult[queryCount];
                searcher.WithinRadiusBatch(queries, r, into, CancellationToken.None);
                for (int q = 0; q < queryCount; q++)
                {
                    ReadOnlySpan<ulong> query = queries.AsSpan(q * words, words);
                    Neighbor[] expected = reference.WithinRadius(query, r);
                    Assert.Equal(expected, searcher.WithinRadius(query, r).Neighbors);
                    var list = new List<Neighbor> { new(-5, 0) }; // appended after what is there
                    searcher.WithinRadius(query, r, list);
                    Assert.Equal(expected, list.Skip(1));
                    Assert.Equal(expected, batch[q].Neighbors);
                    Assert.Equal(expected, viaAsync[q].Neighbors);
                    Assert.Equal(expected, into[q].Neighbors);
                }
            }
        }
    });

    [Fact]
    public void BadArgumentsAreRefusedNamingTheParameterOnEveryImplementation()
    {
        using var index = CodeIndex.CreateInMemory(100);
        index.AddRange(TestCodes.Uniform(new Random(3), index.Store.Layout, 40), Enumerable.Range(0, 40).Select(i => (long)i).ToArray());
        IHammingSearcher[] searchers = [index, new ScanSearcher(index.Store), new MultiIndexHash(index.Store), new MultiIndexSearcher(index.Store)];
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        foreach (IHammingSearcher searcher in searchers)
        {
            Assert.Throws<ArgumentException>(() => searcher.TopK(new ulong[1], 2));
            Assert.Throws<ArgumentException>(() => searcher.WithinRadius(new ulong[] { 0, 1UL << 50 }, 2));
            Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => searcher.TopK(new ulong[2], 0)).ParamName);
            Assert.Equal("radius", Assert.Throws<ArgumentOutOfRangeException>(() => searcher.WithinRadius(new ulong[2], 101)).ParamName);
            Assert.Equal("results", Assert.Throws<ArgumentException>(() => searcher.TopK(new ulong[2], 3, new Neighbor[2])).ParamName);
            Assert.Equal("queries", Assert.Throws<ArgumentException>(() => searcher.TopKBatch(new ulong[3], 2, CancellationToken.None)).ParamName);
            Assert.Equal("radius", Assert.Throws<ArgumentOutOfRangeException>(() => searcher.WithinRadiusBatch(new ulong[4], -1, CancellationToken.None)).ParamName);
            Assert.ThrowsAny<OperationCanceledException>(() => searcher.TopKBatch(new ulong[4], 2, cancelled.Token));
            Assert.Equal("answers", Assert.Throws<ArgumentException>(() => searcher.WithinRadiusBatch(new ulong[4], 1, new SearchResult[1], CancellationToken.None)).ParamName);
        }
        Assert.Equal("id", Assert.Throws<ArgumentException>(() => index.Add(new ulong[2], 5)).ParamName);
        Assert.Equal("ids", Assert.Throws<ArgumentException>(() => index.AddRange(new ulong[4], [100, 100])).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => index.TryGetCode(5, new ulong[1])).ParamName);
        Assert.Throws<KeyNotFoundException>(() => index.GetCode(40));
        Assert.Equal(40, index.Count);
    }
}
