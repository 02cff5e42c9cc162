using HammingIndex.Indexing;

namespace HammingIndex.MultiIndex;

/// <summary>The front door as an <see cref="IHammingSearcher"/> (its own single and batched searches; a cancellable batch runs in groups).</summary>
public sealed partial class MultiIndexSearcher : IHammingSearcher
{
    int IHammingSearcher.Bits => Store.Bits;

    long IHammingSearcher.Count => Store.LiveCount;

    SearchResult[] IHammingSearcher.TopKBatch(ReadOnlySpan<ulong> queries, int k, CancellationToken cancellationToken)
    {
        int queryCount = Store.Layout.ValidateCodes(queries);
        ThrowHelper.CheckK(k);
        return SearchBatches.Run(queries, queryCount, Store.Layout.WordsPerCode, cancellationToken, null, group => TopKBatch(group, k));
    }

    SearchResult[] IHammingSearcher.WithinRadiusBatch(ReadOnlySpan<ulong> queries, int radius, CancellationToken cancellationToken)
    {
        int queryCount = Store.Layout.ValidateCodes(queries);
        ThrowHelper.CheckRadius(radius, Store.Bits);
        return SearchBatches.Run(queries, queryCount, Store.Layout.WordsPerCode, cancellationToken, null, group => WithinRadiusBatch(group, radius));
    }

    void IHammingSearcher.TopKBatch(ReadOnlySpan<ulong> queries, int k, Span<SearchResult> answers, CancellationToken cancellationToken)
    {
        int queryCount = Store.Layout.ValidateCodes(queries);
        ThrowHelper.CheckK(k);
        SearchBatches.RunInto(queries, queryCount, Store.Layout.WordsPerCode, answers, cancellationToken, null, (group, into) => TopKBatch(group, k, into));
    }

    void IHammingSearcher.WithinRadiusBatch(ReadOnlySpan<ulong> queries, int radius, Span<SearchResult> answers, CancellationToken cancellationToken)
    {
        int queryCount = Store.Layout.ValidateCodes(queries);
        ThrowHelper.CheckRadius(radius, Store.Bits);
        SearchBatches.RunInto(queries, queryCount, Store.Layout.WordsPerCode, answers, cancellationToken, null, (group, into) => WithinRadiusBatch(group, radius, into));
    }
}
