using HammingIndex.MultiIndex;
using HammingIndex.Search;

namespace HammingIndex.Indexing;

/// <summary>
/// Exact nearest-neighbour search in Hamming space over a set of codes with ids: the one interface
/// that the scan (<see cref="ScanSearcher"/>), the raw multi-index (<see cref="MultiIndexHash"/>),
/// the front door (<see cref="MultiIndexSearcher"/>) and the index type (<see cref="CodeIndex"/>)
/// implement, so applications, the CLI and benchmarks can hold any of them.
/// </summary>
/// <remarks>
/// <para>Contract of every implementation:</para>
/// <list type="bullet">
/// <item><description>Exact: the results are exactly those of a brute-force scan over the live
/// (not deleted) codes the search sees; no approximation, whatever path runs.</description></item>
/// <item><description>Ordered: results are sorted by distance, then by id (<see cref="Neighbor"/>'s
/// order); a top-k search returns min(k, <see cref="Count"/>) results, a radius search every code with
/// distance &lt;= radius.</description></item>
/// <item><description>Arguments: a query is one code of <see cref="Bits"/> bits (ceil(bits / 64)
/// words, zero padding); a batch is such codes back to back. Anything else throws
/// <see cref="ArgumentException"/> naming the parameter; k &lt; 1 or a radius outside 0..bits throws
/// <see cref="ArgumentOutOfRangeException"/>.</description></item>
/// <item><description>Thread-safe: any number of searches may run at once on one instance, also while
/// one writer changes the codes underneath (a search sees a consistent prefix of the appended codes;
/// deletes made during it may or may not be seen).</description></item>
/// <item><description>Batches answer query q in entry q, exactly as the lone query would; they may
/// use several cores and observe their <see cref="CancellationToken"/> between groups of queries.
/// </description></item>
/// </list>
/// <para>The overloads that write into caller buffers are allocation-free after warm-up on the scan,
/// the front door (either path) and the index; the default implementations here (for implementations
/// without their own) copy from the allocating overload. A remote or sharded implementation
/// overrides the asynchronous batch methods; their defaults run the synchronous ones.</para>
/// </remarks>
public interface IHammingSearcher
{
    /// <summary>Code length in bits.</summary>
    int Bits { get; }

    /// <summary>Live (searchable) codes now.</summary>
    long Count { get; }

    /// <summary>The <paramref name="k"/> nearest live codes (all of them if fewer), by distance, then id.</summary>
    SearchResult TopK(ReadOnlySpan<ulong> query, int k);

    /// <summary>Every live code within <paramref name="radius"/> (distance &lt;= radius), by distance, then id.</summary>
    SearchResult WithinRadius(ReadOnlySpan<ulong> query, int radius);

    /// <summary>Entry q holds the <paramref name="k"/> nearest codes to query q of <paramref name="queries"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    SearchResult[] TopKBatch(ReadOnlySpan<ulong> queries, int k, CancellationToken cancellationToken);

    /// <summary>Entry q holds every code within <paramref name="radius"/> of query q of <paramref name="queries"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    SearchResult[] WithinRadiusBatch(ReadOnlySpan<ulong> queries, int radius, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the <paramref name="k"/> nearest live codes into <paramref name="results"/> (at least k long),
    /// by distance, then id; returns how many were written: min(k, <see cref="Count"/>).
    /// </summary>
    int TopK(ReadOnlySpan<ulong> query, int k, Span<Neighbor> results)
    {
        ThrowHelper.CheckResults(k, results.Length);
        Neighbor[] found = TopK(query, k).Neighbors;
        found.CopyTo(results);
        return found.Length;
    }

    /// <summary>Appends every live code within <paramref name="radius"/> to <paramref name="results"/>, by distance, then id.</summary>
    void WithinRadius(ReadOnlySpan<ulong> query, int radius, List<Neighbor> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        results.AddRange(WithinRadius(query, radius).Neighbors);
    }

    /// <summary>
    /// Writes the <paramref name="k"/> nearest codes of query q into <paramref name="results"/>[q * k ..]
    /// and their number into <paramref name="counts"/>[q].
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="results"/> is shorter than queries * k or <paramref name="counts"/> than the query count.</exception>
    void TopKBatch(ReadOnlySpan<ulong> queries, int k, Span<Neighbor> results, Span<int> counts)
    {
        SearchResult[] answers = TopKBatch(queries, k, CancellationToken.None);
        ThrowHelper.CheckBatchBuffers(answers.Length, k, results.Length, counts.Length);
        for (int q = 0; q < answers.Length; q++)
        {
            answers[q].Neighbors.CopyTo(results.Slice(q * k, k));
            counts[q] = answers[q].Neighbors.Length;
        }
    }

    /// <summary>
    /// Writes query q's answer, as <see cref="TopKBatch(ReadOnlySpan{ulong}, int, CancellationToken)"/> gives it, into
    /// <paramref name="answers"/>[q]: a caller reusing its buffer allocates no array of answers per batch.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="answers"/> has fewer entries than there are queries.</exception>
    void TopKBatch(ReadOnlySpan<ulong> queries, int k, Span<SearchResult> answers, CancellationToken cancellationToken) =>
        CopyAnswers(TopKBatch(queries, k, cancellationToken), answers);

    /// <summary>
    /// Writes query q's answer, as <see cref="WithinRadiusBatch(ReadOnlySpan{ulong}, int, CancellationToken)"/> gives it, into
    /// <paramref name="answers"/>[q].
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="answers"/> has fewer entries than there are queries.</exception>
    void WithinRadiusBatch(ReadOnlySpan<ulong> queries, int radius, Span<SearchResult> answers, CancellationToken cancellationToken) =>
        CopyAnswers(WithinRadiusBatch(queries, radius, cancellationToken), answers);

    private static void CopyAnswers(SearchResult[] found, Span<SearchResult> answers)
    {
        ThrowHelper.CheckAnswers(found.Length, answers.Length);
        found.CopyTo(answers);
    }

    /// <summary>The asynchronous form of <see cref="TopKBatch(ReadOnlySpan{ulong}, int, CancellationToken)"/> (for remote or sharded implementations).</summary>
    ValueTask<SearchResult[]> TopKBatchAsync(ReadOnlyMemory<ulong> queries, int k, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(TopKBatch(queries.Span, k, cancellationToken));

    /// <summary>The asynchronous form of <see cref="WithinRadiusBatch(ReadOnlySpan{ulong}, int, CancellationToken)"/>.</summary>
    ValueTask<SearchResult[]> WithinRadiusBatchAsync(ReadOnlyMemory<ulong> queries, int radius, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(WithinRadiusBatch(queries.Span, radius, cancellationToken));
}
