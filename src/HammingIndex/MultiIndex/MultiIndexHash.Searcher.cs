using HammingIndex.Indexing;
using HammingIndex.Search;

namespace HammingIndex.MultiIndex;

/// <summary>
/// The raw multi-index as an <see cref="IHammingSearcher"/>: every answer is probed through the tables
/// (<see cref="SearchPath.MultiIndex"/>, with the candidates verified), never the scan; a batch is its
/// queries one after another on the calling thread.
/// </summary>
public sealed partial class MultiIndexHash : IHammingSearcher
{
    int IHammingSearcher.Bits => Store.Bits;

    long IHammingSearcher.Count => Store.LiveCount;

    SearchResult IHammingSearcher.TopK(ReadOnlySpan<ulong> query, int k) => Nearest(query, k);

    SearchResult IHammingSearcher.WithinRadius(ReadOnlySpan<ulong> query, int radius) => Within(query, radius);

    SearchResult[] IHammingSearcher.TopKBatch(ReadOnlySpan<ulong> queries, int k, CancellationToken cancellationToken)
    {
        int queryCount = Store.Layout.ValidateCodes(queries);
        ThrowHelper.CheckK(k);
        int words = Store.Layout.WordsPerCode;
        return SearchBatches.Run(queries, queryCount, words, cancellationToken, null, group => SearchBatches.OneByOne(group, words, q => Nearest(q, k)));
    }

    SearchResult[] IHammingSearcher.WithinRadiusBatch(ReadOnlySpan<ulong> queries, int radius, CancellationToken cancellationToken)
    {
        int queryCount = Store.Layout.ValidateCodes(queries);
        ThrowHelper.CheckRadius(radius, Store.Bits);
        int words = Store.Layout.WordsPerCode;
        return SearchBatches.Run(queries, queryCount, words, cancellationToken, null, group => SearchBatches.OneByOne(group, words, q => Within(q, radius)));
    }

    void IHammingSearcher.TopKBatch(ReadOnlySpan<ulong> queries, int k, Span<Neighbor> results, Span<int> counts)
    {
        int queryCount = Store.Layout.ValidateCodes(queries);
        ThrowHelper.CheckBatchBuffers(queryCount, k, results.Length, counts.Length);
        int words = Store.Layout.WordsPerCode;
        for (int q = 0; q < queryCount; q++) counts[q] = TopK(queries.Slice(q * words, words), k, results.Slice(q * k, k));
    }

    private SearchResult Nearest(ReadOnlySpan<ulong> query, int k)
    {
        if (!TryTopK(query, k, SearchBudget.Unlimited, out Neighbor[]? results, out long candidates)) ThrowStale();
        return new SearchResult(results!, SearchPath.MultiIndex, candidates);
    }

    private SearchResult Within(ReadOnlySpan<ulong> query, int radius)
    {
        var results = new List<Neighbor>();
        if (!TryWithinRadius(query, radius, results, SearchBudget.Unlimited, out long candidates)) ThrowStale();
        return new SearchResult([.. results], SearchPath.MultiIndex, candidates);
    }

    private void ThrowStale() =>
        ThrowHelper.InvalidOperation($"The tables are of store generation {Tables.Generation} but the store is at {Store.Generation}: rebuild them first.");
}
