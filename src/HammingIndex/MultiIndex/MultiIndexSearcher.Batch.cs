using HammingIndex.Search;
using HammingIndex.Storage;

namespace HammingIndex.MultiIndex;

public sealed partial class MultiIndexSearcher
{
    /// <summary>
    /// The <paramref name="k"/> nearest live codes for every query of <paramref name="queries"/>
    /// (consecutive codes of the store's layout): entry q answers query q, as <see cref="TopK(ReadOnlySpan{ulong}, int)"/> would.
    /// </summary>
    /// <remarks>
    /// Each query tries the tables, across cores, with the budget and back-off of a lone query (a batch
    /// whose probes are predicted, from the counted work of its first queries, to cost less than
    /// handing work to other cores stays on the calling thread); the queries the tables do not answer
    /// then share one batched scan
    /// (<see cref="ScanSearcher.TopKBatch(ReadOnlySpan{ulong}, int)"/>). A budget scaled down to a
    /// query's share of the batched scan was tried: it sent more queries to the scan, and a scan of a
    /// few left-over queries still costs a whole pass over the codes (10M clustered 64-bit 10-NN:
    /// 166 µs per query against 39 µs with the lone budget; bench/README.md).
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="queries"/> is not whole codes of the store's layout with zero padding.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is less than 1.</exception>
    /// <exception cref="ObjectDisposedException">The store is disposed (thrown before any query runs).</exception>
    public SearchResult[] TopKBatch(ReadOnlySpan<ulong> queries, int k)
    {
        int queryCount = Store.Layout.ValidateCodes(queries);
        ThrowHelper.CheckK(k);
        return RunBatch(queries, queryCount, k, -1);
    }

    /// <summary>
    /// Every live code within <paramref name="radius"/> of each query of <paramref name="queries"/>:
    /// entry q answers query q, as <see cref="WithinRadius(ReadOnlySpan{ulong}, int)"/> would (tables across cores first, then one
    /// batched scan for the queries they do not answer; see <see cref="TopKBatch(ReadOnlySpan{ulong}, int)"/>).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="queries"/> is not whole codes of the store's layout with zero padding.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="radius"/> is outside 0..bits.</exception>
    /// <exception cref="ObjectDisposedException">The store is disposed (thrown before any query runs).</exception>
    public SearchResult[] WithinRadiusBatch(ReadOnlySpan<ulong> queries, int radius)
    {
        int queryCount = Store.Layout.ValidateCodes(queries);
        ThrowHelper.CheckRadius(radius, Store.Bits);
        return RunBatch(queries, queryCount, 0, radius);
    }

    /// <summary>Queries of a batch tried on the calling thread before the rest is priced (see <see cref="SearchCostModel.ParallelBatchCost"/>).</summary>
    private const int InlineSampleQueries = 8;

    /// <summary>
    /// The <paramref name="k"/> nearest live codes for every query of <paramref name="queries"/>, written
    /// into the caller's buffers: query q's neighbors go to <c>results[q*k .. q*k + counts[q])</c>, best
    /// first, as <see cref="TopK(ReadOnlySpan{ulong}, int, Span{Neighbor})"/> would write them. Run as
    /// <see cref="TopKBatch(ReadOnlySpan{ulong}, int)"/> (tables across cores, then one batched scan for
    /// the rest), but the tables write each answer in place and nothing is allocated per query.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="queries"/> is not whole codes of the store's layout with zero padding, or a buffer is
    /// too short (<paramref name="results"/> needs queries*k entries, <paramref name="counts"/> one per query).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is less than 1.</exception>
    /// <exception cref="ObjectDisposedException">The store is disposed (thrown before any query runs).</exception>
    public unsafe void TopKBatch(ReadOnlySpan<ulong> queries, int k, Span<Neighbor> results, Span<int> counts)
    {
        int queryCount = Store.Layout.ValidateCodes(queries);
        ThrowHelper.CheckBatchBuffers(queryCount, k, results.Length, counts.Length);
        fixed (Neighbor* flat = results)
        fixed (int* written = counts)
        {
            // The parallel loop cannot capture the spans; the buffers stay pinned until the batch returns.
            nint resultsAddress = (nint)flat, countsAddress = (nint)written;
            RunBatch(queries, queryCount,
                (int q, ReadOnlySpan<ulong> query, long count, out long attempted) =>
                {
                    int n = TryNearest(query, k, count, new Span<Neighbor>((Neighbor*)resultsAddress + (long)q * k, k), out attempted);
                    ((int*)countsAddress)[q] = n;
                    return n >= 0;
                },
                (rest, restQueries, count) =>
                {
                    var restResults = new Neighbor[(long)rest.Length * k];
                    var restCounts = new int[rest.Length];
                    Scan.TopKBatch(restQueries, k, restResults, restCounts);
                    for (int i = 0; i < rest.Length; i++)
                    {
                        restResults.AsSpan(i * k, restCounts[i]).CopyTo(new Span<Neighbor>((Neighbor*)resultsAddress + (long)rest[i] * k, k));
                        ((int*)countsAddress)[rest[i]] = restCounts[i];
                    }
                });
        }
    }

    /// <summary>k-NN when <paramref name="radius"/> is negative, else radius search, into new answers.</summary>
    private SearchResult[] RunBatch(ReadOnlySpan<ulong> queries, int queryCount, int k, int radius)
    {
        var answers = new SearchResult[queryCount];
        RunBatch(queries, queryCount,
            (int q, ReadOnlySpan<ulong> query, long count, out long attempted) => radius >= 0
                ? TryRadius(query, radius, count, out answers[q], out attempted)
                : TryNearest(query, k, count, out answers[q], out attempted),
            (rest, restQueries, count) =>
            {
                Neighbor[][] scanned = radius >= 0 ? Scan.WithinRadiusBatch(restQueries, radius) : Scan.TopKBatch(restQueries, k);
                for (int i = 0; i < rest.Length; i++) answers[rest[i]] = new SearchResult(scanned[i], SearchPath.Scan, count + rest.Attempted(i));
            });
        return answers;
    }

    /// <summary>Tries the tables for query <paramref name="q"/> over <paramref name="count"/> codes: whether they answered, and the candidates they verified.</summary>
    private delegate bool TryQuery(int q, ReadOnlySpan<ulong> query, long count, out long attempted);

    /// <summary>The queries the tables did not answer, with the candidates their attempts verified.</summary>
    private sealed class Unanswered(int[] queries, long[] attempted)
    {
        public int Length => queries.Length;

        public int this[int i] => queries[i];

        public long Attempted(int i) => attempted[queries[i]];
    }

    /// <summary>
    /// Tries the tables for every query (on this thread, or across cores when the counted work of the
    /// first queries says the batch pays for it), then hands the queries they did not answer, back to
    /// back, to <paramref name="scanRest"/>.
    /// </summary>
    private void RunBatch(ReadOnlySpan<ulong> queries, int queryCount, TryQuery tryOne, Action<Unanswered, ulong[], long> scanRest)
    {
        // Pinning the store first refuses a disposed store with ObjectDisposedException before any
        // work starts (inside the parallel loop it would surface wrapped in an AggregateException),
        // and keeps one count for the whole batch.
        StoreMemory memory = Store.AcquireMemory(out long count, out _);
        try
        {
            if (queryCount == 0) return;
            int words = Store.Layout.WordsPerCode;
            ulong[] all = queries.ToArray(); // the parallel loop cannot capture a span
            var answered = new bool[queryCount];
            var attempted = new long[queryCount];
            void Try(int q) => answered[q] = tryOne(q, all.AsSpan(q * words, words), count, out attempted[q]);

            // The first queries run here and price the rest from their counted work: a batch whose table
            // probes cost less than handing work to other cores stays on this thread.
            int first = Math.Min(queryCount, InlineSampleQueries);
            double units = 0;
            for (int q = 0; q < first; q++)
            {
                Try(q);
                units += SearchCostModel.QueryOverhead + attempted[q] * SearchCostModel.CandidateCost(Index.Tables);
            }
            if (units / first * (queryCount - first) < SearchCostModel.ParallelBatchCost)
            {
                for (int q = first; q < queryCount; q++) Try(q);
            }
            else
            {
                Parallel.For(first, queryCount, new ParallelOptions { MaxDegreeOfParallelism = Scan.Options.MaxDegreeOfParallelism }, Try);
            }

            int[] rest = Enumerable.Range(0, queryCount).Where(q => !answered[q]).ToArray();
            if (rest.Length == 0) return;
            var restQueries = new ulong[rest.Length * words];
            for (int i = 0; i < rest.Length; i++) all.AsSpan(rest[i] * words, words).CopyTo(restQueries.AsSpan(i * words));
            scanRest(new Unanswered(rest, attempted), restQueries, count);
        }
        finally
        {
            memory.Release();
        }
    }
}
