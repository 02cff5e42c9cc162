using HammingIndex.MultiIndex;
using HammingIndex.Search;

namespace HammingIndex.Indexing;

/// <summary>Searches: through the front door, which probes the tables or scans per query; never a table build.</summary>
public sealed partial class CodeIndex
{
    /// <summary>The <paramref name="k"/> nearest live codes to <paramref name="query"/> (all of them if fewer), by distance, then id.</summary>
    /// <exception cref="ArgumentException"><paramref name="query"/> is not one code of this layout (length or padding).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is less than 1.</exception>
    /// <exception cref="ObjectDisposedException">The index is disposed.</exception>
    public SearchResult TopK(ReadOnlySpan<ulong> query, int k) => _door.TopK(query, k);

    /// <summary>
    /// Writes the <paramref name="k"/> nearest live codes into <paramref name="results"/> (at least k long), by
    /// distance, then id; returns how many: min(k, <see cref="Count"/>).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="query"/> is not one code of this layout, or <paramref name="results"/> is shorter than k.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is less than 1.</exception>
    /// <exception cref="ObjectDisposedException">The index is disposed.</exception>
    public int TopK(ReadOnlySpan<ulong> query, int k, Span<Neighbor> results) => ((IHammingSearcher)_door).TopK(query, k, results);

    /// <summary>Every live code within <paramref name="radius"/> of <paramref name="query"/> (distance &lt;= radius), by distance, then id.</summary>
    /// <exception cref="ArgumentException"><paramref name="query"/> is not one code of this layout (length or padding).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="radius"/> is outside 0..<see cref="Bits"/>.</exception>
    /// <exception cref="ObjectDisposedException">The index is disposed.</exception>
    public SearchResult WithinRadius(ReadOnlySpan<ulong> query, int radius) => _door.WithinRadius(query, radius);

    /// <summary>Appends every live code within <paramref name="radius"/> of <paramref name="query"/> to <paramref name="results"/>, by distance, then id.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="results"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="query"/> is not one code of this layout (length or padding).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="radius"/> is outside 0..<see cref="Bits"/>.</exception>
    /// <exception cref="ObjectDisposedException">The index is disposed.</exception>
    public void WithinRadius(ReadOnlySpan<ulong> query, int radius, List<Neighbor> results) => ((IHammingSearcher)_door).WithinRadius(query, radius, results);

    /// <summary>
    /// The <paramref name="k"/> nearest codes to each query of <paramref name="queries"/> (codes back to back):
    /// entry q answers query q. The tables are tried across cores, then the queries they do not answer share
    /// one scan; a cancellable or reporting batch runs in groups of 1,024 queries, checking the token and
    /// reporting <see cref="IndexOperation.Search"/> after each.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="queries"/> is not whole codes of this layout with zero padding.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is less than 1.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public SearchResult[] TopKBatch(ReadOnlySpan<ulong> queries, int k, CancellationToken cancellationToken = default, IProgress<IndexProgress>? progress = null)
    {
        int queryCount = _store.Layout.ValidateCodes(queries);
        ThrowHelper.CheckK(k);
        return SearchBatches.Run(queries, queryCount, WordsPerCode, cancellationToken, progress, group => _door.TopKBatch(group, k));
    }

    /// <summary>
    /// The <paramref name="k"/> nearest codes to each query of <paramref name="queries"/>, written into the
    /// caller's buffers: query q's neighbors go to <c>results[q*k .. q*k + counts[q])</c>, by distance, then
    /// id (the front door's batch: tables across cores, then one scan for the rest; nothing allocated per query).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="queries"/> is not whole codes of this layout with zero padding, or a buffer is
    /// too short (<paramref name="results"/> needs queries*k entries, <paramref name="counts"/> one per query).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is less than 1.</exception>
    /// <exception cref="ObjectDisposedException">The index is disposed.</exception>
    public void TopKBatch(ReadOnlySpan<ulong> queries, int k, Span<Neighbor> results, Span<int> counts) => _door.TopKBatch(queries, k, results, counts);

    /// <summary>Every code within <paramref name="radius"/> of each query of <paramref name="queries"/>: entry q answers query q (run as <see cref="TopKBatch(ReadOnlySpan{ulong}, int, CancellationToken, IProgress{IndexProgress})"/>).</summary>
    /// <exception cref="ArgumentException"><paramref name="queries"/> is not whole codes of this layout with zero padding.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="radius"/> is outside 0..<see cref="Bits"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public SearchResult[] WithinRadiusBatch(ReadOnlySpan<ulong> queries, int radius, CancellationToken cancellationToken = default, IProgress<IndexProgress>? progress = null)
    {
        int queryCount = _store.Layout.ValidateCodes(queries);
        ThrowHelper.CheckRadius(radius, Bits);
        return SearchBatches.Run(queries, queryCount, WordsPerCode, cancellationToken, progress, group => _door.WithinRadiusBatch(group, radius));
    }

    /// <summary>
    /// As <see cref="TopKBatch(ReadOnlySpan{ulong}, int, CancellationToken, IProgress{IndexProgress})"/>, with query q's
    /// answer written to <paramref name="answers"/>[q]: a caller that reuses its buffer allocates no array of
    /// answers per batch (a fresh one costs a page fault per 4 KiB on first touch, more than a batch of
    /// sub-microsecond queries).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="queries"/> is not whole codes of this layout with zero padding, or
    /// <paramref name="answers"/> has fewer entries than there are queries.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is less than 1.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public void TopKBatch(ReadOnlySpan<ulong> queries, int k, Span<SearchResult> answers, CancellationToken cancellationToken = default, IProgress<IndexProgress>? progress = null)
    {
        int queryCount = _store.Layout.ValidateCodes(queries);
        ThrowHelper.CheckK(k);
        SearchBatches.RunInto(queries, queryCount, WordsPerCode, answers, cancellationToken, progress, (group, into) => _door.TopKBatch(group, k, into));
    }

    /// <summary>
    /// As <see cref="WithinRadiusBatch(ReadOnlySpan{ulong}, int, CancellationToken, IProgress{IndexProgress})"/>, with query q's
    /// answer written to <paramref name="answers"/>[q] (see <see cref="TopKBatch(ReadOnlySpan{ulong}, int, Span{SearchResult}, CancellationToken, IProgress{IndexProgress})"/>).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="queries"/> is not whole codes of this layout with zero padding, or
    /// <paramref name="answers"/> has fewer entries than there are queries.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="radius"/> is outside 0..<see cref="Bits"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public void WithinRadiusBatch(ReadOnlySpan<ulong> queries, int radius, Span<SearchResult> answers, CancellationToken cancellationToken = default, IProgress<IndexProgress>? progress = null)
    {
        int queryCount = _store.Layout.ValidateCodes(queries);
        ThrowHelper.CheckRadius(radius, Bits);
        SearchBatches.RunInto(queries, queryCount, WordsPerCode, answers, cancellationToken, progress, (group, into) => _door.WithinRadiusBatch(group, radius, into));
    }

    SearchResult[] IHammingSearcher.TopKBatch(ReadOnlySpan<ulong> queries, int k, CancellationToken cancellationToken) =>
        TopKBatch(queries, k, cancellationToken);

    SearchResult[] IHammingSearcher.WithinRadiusBatch(ReadOnlySpan<ulong> queries, int radius, CancellationToken cancellationToken) =>
        WithinRadiusBatch(queries, radius, cancellationToken);

    void IHammingSearcher.TopKBatch(ReadOnlySpan<ulong> queries, int k, Span<SearchResult> answers, CancellationToken cancellationToken) =>
        TopKBatch(queries, k, answers, cancellationToken);

    void IHammingSearcher.WithinRadiusBatch(ReadOnlySpan<ulong> queries, int radius, Span<SearchResult> answers, CancellationToken cancellationToken) =>
        WithinRadiusBatch(queries, radius, answers, cancellationToken);
}
