using HammingIndex.MultiIndex;
using HammingIndex.Search;
using HammingIndex.Orleans.Client;
using HammingIndex.Storage;

namespace HammingIndex.Orleans.Tests;

/// <summary>
/// One in-memory node (a <see cref="CodeStore"/> and a <see cref="MultiIndexSearcher"/>) fed the same
/// adds and deletes as a sharded index; <see cref="AssertSameAnswersAsync"/> compares their answers.
/// </summary>
internal sealed class OneNodeReference(int bits) : IDisposable
{
    private readonly CodeStore _store = CodeStore.CreateInMemory(bits);
    private MultiIndexSearcher? _single;

    public CodeStore Store => _store;

    private MultiIndexSearcher Single => _single ??= new MultiIndexSearcher(_store);

    public async Task AddAsync(ShardedCodeIndex sharded, ulong[] codes, long[] ids)
    {
        _store.AppendRange(codes, ids);
        await sharded.AddAsync(codes, ids);
    }

    public async Task DeleteAsync(ShardedCodeIndex sharded, long[] ids)
    {
        int expected = ids.Sum(id => _store.TryDelete(id));
        Assert.Equal(expected, await sharded.DeleteAsync(ids));
    }

    /// <summary>Top-k for each k and radius search for each radius, lone and batched, equal the one node's.</summary>
    public async Task AssertSameAnswersAsync(ShardedCodeIndex sharded, ulong[] queries, int[] ks, int[] radii)
    {
        int words = _store.Layout.WordsPerCode;
        int count = queries.Length / words;
        foreach (int k in ks)
        {
            SearchResult[] batch = await sharded.TopKBatchAsync(queries, k);
            Assert.Equal(count, batch.Length);
            SearchResult[] expectedBatch = Single.TopKBatch(queries, k);
            for (int q = 0; q < count; q++)
            {
                ReadOnlyMemory<ulong> query = queries.AsMemory(q * words, words);
                Neighbor[] expected = Single.TopK(query.Span, k).Neighbors;
                Assert.Equal(expected, expectedBatch[q].Neighbors);
                Assert.Equal(expected, (await sharded.TopKAsync(query, k)).Neighbors);
                Assert.Equal(expected, batch[q].Neighbors);
                if (q == 0) Assert.Equal(expected, sharded.TopK(query.Span, k).Neighbors); // the blocking, searcher-shaped form
            }
        }
        Assert.Equal(_store.LiveCount, sharded.Count);
        foreach (int r in radii)
        {
            SearchResult[] batch = await sharded.WithinRadiusBatchAsync(queries, r);
            for (int q = 0; q < count; q++)
            {
                ReadOnlyMemory<ulong> query = queries.AsMemory(q * words, words);
                Neighbor[] expected = Single.WithinRadius(query.Span, r).Neighbors;
                Assert.Equal(expected, (await sharded.WithinRadiusAsync(query, r)).Neighbors);
                Assert.Equal(expected, batch[q].Neighbors);
            }
        }
    }

    public void Dispose() => _store.Dispose();
}
