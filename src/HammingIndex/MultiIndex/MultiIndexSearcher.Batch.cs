using System.Buffers;
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
    /// Each query tries the tables with the budget and back-off of a lone query, on the calling thread
    /// and on the helper threads of the other cores as they join (a batch never waits for a helper to
    /// start; see <see cref="BatchHelpers"/>); the queries the tables do not answer
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
        var answers = new SearchResult[queryCount];
        RunBatch(queries, queryCount, k, -1, answers);
        return answers;
    }

    /// <summary>
    /// As <see cref="TopKBatch(ReadOnlySpan{ulong}, int)"/>, with query q's answer written to
    /// <paramref name="answers"/>[q]: a caller that reuses its buffer allocates nothing per batch but the
    /// neighbor arrays (a new array of answers costs a page fault per 4 KiB on first touch, which in a
    /// batch of sub-microsecond queries outweighs the queries).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="queries"/> is not whole codes of the store's layout with zero padding,
    /// or <paramref name="answers"/> has fewer entries than there are queries.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is less than 1.</exception>
    /// <exception cref="ObjectDisposedException">The store is disposed (thrown before any query runs).</exception>
    public void TopKBatch(ReadOnlySpan<ulong> queries, int k, Span<SearchResult> answers)
    {
        int queryCount = Store.Layout.ValidateCodes(queries);
        ThrowHelper.CheckK(k);
        RunBatchInto(queries, queryCount, k, -1, answers);
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
        var answers = new SearchResult[queryCount];
        RunBatch(queries, queryCount, 0, radius, answers);
        return answers;
    }

    /// <summary>
    /// As <see cref="WithinRadiusBatch(ReadOnlySpan{ulong}, int)"/>, with query q's answer written to
    /// <paramref name="answers"/>[q] (see <see cref="TopKBatch(ReadOnlySpan{ulong}, int, Span{SearchResult})"/>).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="queries"/> is not whole codes of the store's layout with zero padding,
    /// or <paramref name="answers"/> has fewer entries than there are queries.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="radius"/> is outside 0..bits.</exception>
    /// <exception cref="ObjectDisposedException">The store is disposed (thrown before any query runs).</exception>
    public void WithinRadiusBatch(ReadOnlySpan<ulong> queries, int radius, Span<SearchResult> answers)
    {
        int queryCount = Store.Layout.ValidateCodes(queries);
        ThrowHelper.CheckRadius(radius, Store.Bits);
        RunBatchInto(queries, queryCount, 0, radius, answers);
    }

    /// <summary>Runs the batch into a rented array (the parallel work cannot capture a span) and copies the answers out.</summary>
    private void RunBatchInto(ReadOnlySpan<ulong> queries, int queryCount, int k, int radius, Span<SearchResult> answers)
    {
        ThrowHelper.CheckAnswers(queryCount, answers.Length);
        SearchResult[] rented = ArrayPool<SearchResult>.Shared.Rent(queryCount);
        try
        {
            RunBatch(queries, queryCount, k, radius, rented);
            rented.AsSpan(0, queryCount).CopyTo(answers);
        }
        finally
        {
            ArrayPool<SearchResult>.Shared.Return(rented, clearArray: true);
        }
    }

    /// <summary>
    /// The unit the threads of a batch take (a thread's radius queries share one store pin and
    /// scratch); the first group, on the calling thread, prices the rest (see <see cref="SearchCostModel.WakeHelpersCost"/>).
    /// </summary>
    private const int GroupQueries = 8;

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
                OneByOne((int q, ReadOnlySpan<ulong> query, long count, out long attempted) =>
                {
                    int n = TryNearest(query, k, count, new Span<Neighbor>((Neighbor*)resultsAddress + (long)q * k, k), out attempted);
                    ((int*)countsAddress)[q] = n;
                    return n >= 0;
                }),
                (rest, restQueries, count) =>
                {
                    Neighbor[] restResults = ScanSearcher.RentNeighbors((long)rest.Length * k); // past the large-object threshold: not one a batch
                    try
                    {
                        var restCounts = new int[rest.Length];
                        Scan.TopKBatch(restQueries, k, restResults.AsSpan(0, rest.Length * k), restCounts);
                        for (int i = 0; i < rest.Length; i++)
                        {
                            restResults.AsSpan(i * k, restCounts[i]).CopyTo(new Span<Neighbor>((Neighbor*)resultsAddress + (long)rest[i] * k, k));
                            ((int*)countsAddress)[rest[i]] = restCounts[i];
                        }
                    }
                    finally
                    {
                        ArrayPool<Neighbor>.Shared.Return(restResults);
                    }
                });
        }
    }

    /// <summary>k-NN when <paramref name="radius"/> is negative, else radius search, into <paramref name="answers"/>[0..queryCount).</summary>
    private void RunBatch(ReadOnlySpan<ulong> queries, int queryCount, int k, int radius, SearchResult[] answers)
    {
        TryQueries tryQueries = radius >= 0
            ? (ref GroupCursor cursor, ulong[] all, long count, bool[] answered, long[] attempted) =>
                TryRadius(ref cursor, all, radius, count, answers, answered, attempted)
            : OneByOne((int q, ReadOnlySpan<ulong> query, long count, out long attempted) => TryNearest(query, k, count, out answers[q], out attempted));
        RunBatch(queries, queryCount, tryQueries,
            (rest, restQueries, count) =>
            {
                Neighbor[][] scanned = radius >= 0 ? Scan.WithinRadiusBatch(restQueries, radius) : Scan.TopKBatch(restQueries, k);
                for (int i = 0; i < rest.Length; i++) answers[rest[i]] = new SearchResult(scanned[i], SearchPath.Scan, count + rest.Attempted(i));
            });
    }

    /// <summary>
    /// Tries the tables for the radius queries <paramref name="cursor"/> hands this thread, under one
    /// store pin, table resolution and scratch (<see cref="MultiIndexHash.RadiusRun"/>), each deciding as
    /// <see cref="TryRadius(ReadOnlySpan{ulong}, int, long, out SearchResult, out long)"/> would alone.
    /// </summary>
    private void TryRadius(ref GroupCursor cursor, ulong[] all, int radius, long count, SearchResult[] answers, bool[] answered, long[] attempted)
    {
        int words = Store.Layout.WordsPerCode;
        SearchBudget budget = Budget(count);
        using var run = new MultiIndexHash.RadiusRun(Index);
        while (cursor.TryNext(out int q))
        {
            answered[q] = run.TryOne(all.AsSpan(q * words, words), radius, budget, null, out Neighbor[]? found, out attempted[q]);
            if (answered[q]) answers[q] = new SearchResult(found!, SearchPath.MultiIndex, attempted[q]);
        }
    }

    /// <summary>Tries the tables for query <paramref name="q"/> over <paramref name="count"/> codes: whether they answered, and the candidates they verified.</summary>
    private delegate bool TryQuery(int q, ReadOnlySpan<ulong> query, long count, out long attempted);

    /// <summary>
    /// Tries the tables for the queries <paramref name="cursor"/> hands this thread (query q is
    /// <paramref name="all"/>[q * words ..]) over <paramref name="count"/> codes: per query, whether they
    /// answered and the candidates they verified.
    /// </summary>
    private delegate void TryQueries(ref GroupCursor cursor, ulong[] all, long count, bool[] answered, long[] attempted);

    /// <summary>Queries tried one after another.</summary>
    private TryQueries OneByOne(TryQuery tryOne)
    {
        int words = Store.Layout.WordsPerCode;
        return (ref GroupCursor cursor, ulong[] all, long count, bool[] answered, long[] attempted) =>
        {
            while (cursor.TryNext(out int q)) answered[q] = tryOne(q, all.AsSpan(q * words, words), count, out attempted[q]);
        };
    }

    /// <summary>The queries of the <see cref="GroupQueries"/>-query groups a batch share hands one thread, in order.</summary>
    private struct GroupCursor(BatchHelpers.Share share, int queryCount)
    {
        private int _next, _end;

        public bool TryNext(out int query)
        {
            if (_next == _end)
            {
                if (!share.TryTake(out int group))
                {
                    query = 0;
                    return false;
                }
                _next = group * GroupQueries;
                _end = Math.Min(_next + GroupQueries, queryCount);
            }
            query = _next++;
            return true;
        }
    }

    /// <summary>The queries the tables did not answer, with the candidates their attempts verified.</summary>
    private sealed class Unanswered(int[] queries, long[] attempted)
    {
        public int Length => queries.Length;

        public int this[int i] => queries[i];

        public long Attempted(int i) => attempted[queries[i]];
    }

    /// <summary>
    /// Tries the tables for every query, in <see cref="GroupQueries"/>-query groups (on this thread, joined by
    /// the helper threads of the other cores, which take groups from one another: <see cref="BatchHelpers"/>),
    /// then hands the queries they did not answer, back to back, to <paramref name="scanRest"/>.
    /// </summary>
    private void RunBatch(ReadOnlySpan<ulong> queries, int queryCount, TryQueries tryQueries, Action<Unanswered, ulong[], long> scanRest)
    {
        // Pinning the store first refuses a disposed store with ObjectDisposedException before any
        // work starts (inside the parallel loop it would surface wrapped in an AggregateException),
        // and keeps one count for the whole batch.
        StoreMemory memory = Store.AcquireMemory(out long count, out _);
        // The batch's working arrays are rented: memory a process has not touched yet costs a page fault
        // per 4 KiB on first use (about 17 µs each in this project's virtual machines: 14 of them made a
        // 1,000-query r = 0 batch 2.5 times slower until the first collection recycled them).
        ulong[] all = ArrayPool<ulong>.Shared.Rent(queries.Length); // the parallel loop cannot capture a span
        bool[] answered = ArrayPool<bool>.Shared.Rent(queryCount);
        long[] attempted = ArrayPool<long>.Shared.Rent(queryCount);
        try
        {
            if (queryCount == 0) return;
            int words = Store.Layout.WordsPerCode;
            queries.CopyTo(all);
            answered.AsSpan(0, queryCount).Clear();
            attempted.AsSpan(0, queryCount).Clear();
            int groups = (queryCount + GroupQueries - 1) / GroupQueries;
            void Try(BatchHelpers.Share share)
            {
                var cursor = new GroupCursor(share, queryCount);
                tryQueries(ref cursor, all, count, answered, attempted);
            }

            // The first group runs here and prices the rest from its counted work; the rest are taken by
            // this thread and by the helper threads that join (parked helpers are woken only for work that
            // outweighs the signal; spinning ones join any batch), each thread's groups under one store pin
            // and one scratch: taken group by group, their shared counters passed between the cores cost
            // 2-core batches of sub-microsecond queries ~30 ns a query (bench/README.md).
            BatchHelpers.For(0, 1, 0, signal: false, TimeSpan.Zero, Try);
            int first = Math.Min(queryCount, GroupQueries);
            double units = 0;
            for (int q = 0; q < first; q++) units += SearchCostModel.QueryOverhead + attempted[q] * SearchCostModel.CandidateCost(Index.Tables);
            bool signal = units / first * (queryCount - first) >= SearchCostModel.WakeHelpersCost;
            BatchHelpers.For(1, groups, Scan.Options.MaxDegreeOfParallelism - 1, signal, Scan.Options.HelperSpin, Try);

            int unanswered = answered.AsSpan(0, queryCount).Count(false);
            if (unanswered == 0) return;
            var rest = new int[unanswered];
            for (int q = 0, i = 0; q < queryCount; q++) if (!answered[q]) rest[i++] = q;
            var restQueries = new ulong[rest.Length * words];
            for (int i = 0; i < rest.Length; i++) all.AsSpan(rest[i] * words, words).CopyTo(restQueries.AsSpan(i * words));
            scanRest(new Unanswered(rest, attempted), restQueries, count); // read within the call, before the rented array goes back
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(all);
            ArrayPool<bool>.Shared.Return(answered);
            ArrayPool<long>.Shared.Return(attempted);
            memory.Release();
        }
    }
}
