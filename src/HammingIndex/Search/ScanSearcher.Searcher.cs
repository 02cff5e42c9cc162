using HammingIndex.Indexing;
using HammingIndex.MultiIndex;

namespace HammingIndex.Search;

/// <summary>The scan as an <see cref="IHammingSearcher"/>: every answer is <see cref="SearchPath.Scan"/>, having verified every stored position.</summary>
public sealed partial class ScanSearcher : IHammingSearcher
{
    int IHammingSearcher.Bits => _layout.Bits;

    long IHammingSearcher.Count => _store.LiveCount;

    SearchResult IHammingSearcher.TopK(ReadOnlySpan<ulong> query, int k)
    {
        long count = _store.Count;
        return new SearchResult(TopK(query, k), SearchPath.Scan, count);
    }

    SearchResult IHammingSearcher.WithinRadius(ReadOnlySpan<ulong> query, int radius)
    {
        long count = _store.Count;
        return new SearchResult(WithinRadius(query, radius), SearchPath.Scan, count);
    }

    SearchResult[] IHammingSearcher.TopKBatch(ReadOnlySpan<ulong> queries, int k, CancellationToken cancellationToken)
    {
        int queryCount = _layout.ValidateCodes(queries);
        ThrowHelper.CheckK(k);
        return SearchBatches.Run(queries, queryCount, _layout.WordsPerCode, cancellationToken, null, group => Answers(TopKBatch(group, k)));
    }

    SearchResult[] IHammingSearcher.WithinRadiusBatch(ReadOnlySpan<ulong> queries, int radius, CancellationToken cancellationToken)
    {
        int queryCount = _layout.ValidateCodes(queries);
        ThrowHelper.CheckRadius(radius, _layout.Bits);
        return SearchBatches.Run(queries, queryCount, _layout.WordsPerCode, cancellationToken, null, group => Answers(WithinRadiusBatch(group, radius)));
    }

    private SearchResult[] Answers(Neighbor[][] results)
    {
        long count = _store.Count;
        return Array.ConvertAll(results, r => new SearchResult(r, SearchPath.Scan, count));
    }
}
