using HammingIndex.Codes;
using HammingIndex.Kernels;

namespace HammingIndex.Training.Evaluation;

/// <summary>
/// The cross-modal hashing evaluation protocol: each query code ranks the database codes by
/// Hamming distance, ties broken by the lower database index (a stable counting sort by
/// distance), and a database item is relevant to a query when their label sets share at least
/// one label.
/// </summary>
/// <remarks>
/// Definitions (rel(k) = 1 when the k-th ranked item is relevant, n = database size,
/// Rq = relevant items in the database for query q); each figure is the mean over queries:
/// <list type="bullet">
/// <item>AP = (1 / Rq) sum_k P@k rel(k) over the whole ranking; a query with Rq = 0 has AP 0.</item>
/// <item>AP@R = (sum_{k &lt;= R} P@k rel(k)) / (relevant among the first R); 0 when there are none
/// (the top-R convention of the hashing literature, e.g. DCMH's calc_map with topk).</item>
/// <item>P@N = (relevant among the first N) / N, N = 1..min(curve length, n).</item>
/// <item>Within radius r (hash lookup): precision = relevant / retrieved (0 when nothing is
/// retrieved), recall = relevant retrieved / Rq (0 when Rq = 0), r = 0..bits.</item>
/// </list>
/// Queries run in parallel in fixed chunks whose partial sums are added in order, so the result
/// does not depend on the number of threads.
/// </remarks>
public static class RetrievalMetrics
{
    private const int QueriesPerChunk = 32;

    /// <summary>Evaluates <paramref name="queryCodes"/> against <paramref name="databaseCodes"/>.</summary>
    /// <param name="queryCodes">The query codes, packed as in <see cref="CodeLayout"/>.</param>
    /// <param name="databaseCodes">The database codes, packed likewise.</param>
    /// <param name="bits">Code length.</param>
    /// <param name="queryLabels">Labels of the queries (one per query code).</param>
    /// <param name="databaseLabels">Labels of the database items (one per database code).</param>
    /// <param name="options">Cutoffs and parallelism; null for the defaults.</param>
    /// <exception cref="ArgumentException">Codes are not whole codes of <paramref name="bits"/> bits, a set is empty, label counts disagree with code counts, or the two label sets have different label counts.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static RetrievalReport Evaluate(ReadOnlySpan<ulong> queryCodes, ReadOnlySpan<ulong> databaseCodes, int bits,
        LabelSet queryLabels, LabelSet databaseLabels, RetrievalOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(queryLabels);
        ArgumentNullException.ThrowIfNull(databaseLabels);
        options ??= new RetrievalOptions();
        var layout = new CodeLayout(bits);
        int queryCount = layout.ValidateCodes(queryCodes);
        int databaseCount = layout.ValidateCodes(databaseCodes);
        if (queryCount == 0) throw new ArgumentException("There are no query codes.", nameof(queryCodes));
        if (databaseCount == 0) throw new ArgumentException("There are no database codes.", nameof(databaseCodes));
        if (queryLabels.Count != queryCount)
            throw new ArgumentException($"{queryLabels.Count} query label rows for {queryCount} query codes.", nameof(queryLabels));
        if (databaseLabels.Count != databaseCount)
            throw new ArgumentException($"{databaseLabels.Count} database label rows for {databaseCount} database codes.", nameof(databaseLabels));
        queryLabels.CheckCompatible(databaseLabels);
        if (options.MapCutoff < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.MapCutoff, "MapCutoff must be at least 1.");
        if (options.PrecisionCurveLength < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.PrecisionCurveLength, "PrecisionCurveLength must be at least 1.");
        if ((uint)options.LookupRadius > (uint)bits)
            throw new ArgumentOutOfRangeException(nameof(options), options.LookupRadius, $"LookupRadius must be between 0 and the code length {bits}.");

        ulong[] queries = queryCodes.ToArray();
        ulong[] database = databaseCodes.ToArray();
        int curveLength = Math.Min(options.PrecisionCurveLength, databaseCount);
        int cutoff = Math.Min(options.MapCutoff, databaseCount);
        int chunkCount = (queryCount + QueriesPerChunk - 1) / QueriesPerChunk;
        var partials = new ChunkSums[chunkCount];
        var averagePrecisions = new double[queryCount];
        var context = new Context(queries, database, layout.WordsPerCode, bits, databaseCount, queryLabels, databaseLabels,
            curveLength, cutoff, options.KernelPath);

        Parallel.For(0, chunkCount, new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism },
            () => new Workspace(databaseCount, bits),
            (chunk, _, workspace) =>
            {
                var sums = new ChunkSums(bits, curveLength);
                int end = Math.Min(queryCount, (chunk + 1) * QueriesPerChunk);
                for (int q = chunk * QueriesPerChunk; q < end; q++)
                    averagePrecisions[q] = EvaluateQuery(context, q, workspace, sums);
                partials[chunk] = sums;
                return workspace;
            },
            _ => { });

        var total = new ChunkSums(bits, curveLength);
        foreach (ChunkSums part in partials) total.Add(part);
        double map = 0;
        foreach (double ap in averagePrecisions) map += ap;

        var precisionAtN = new double[curveLength];
        for (int n = 0; n < curveLength; n++) precisionAtN[n] = total.HitsAtN[n] / ((double)(n + 1) * queryCount);
        var precisionByRadius = new double[bits + 1];
        var recallByRadius = new double[bits + 1];
        for (int r = 0; r <= bits; r++)
        {
            precisionByRadius[r] = total.PrecisionByRadius[r] / queryCount;
            recallByRadius[r] = total.RecallByRadius[r] / queryCount;
        }
        return new RetrievalReport
        {
            QueryCount = queryCount,
            DatabaseCount = databaseCount,
            Bits = bits,
            Map = map / queryCount,
            MapCutoff = options.MapCutoff,
            MapAtR = total.ApAtR / queryCount,
            PrecisionAtN = precisionAtN,
            PrecisionByRadius = precisionByRadius,
            RecallByRadius = recallByRadius,
            LookupRadius = options.LookupRadius,
            LookupPrecision = precisionByRadius[options.LookupRadius],
            LookupHitRate = (double)total.NonEmptyByRadius[options.LookupRadius] / queryCount,
            AveragePrecisions = averagePrecisions,
        };
    }

    /// <summary>
    /// Ranks the items by <paramref name="distances"/> (each in 0..maxDistance)
    /// with a stable counting sort: <paramref name="order"/> receives the database indices, nearest
    /// first, ties in ascending index order. <paramref name="counts"/> needs maxDistance + 2 entries.
    /// </summary>
    internal static void RankByDistance(ReadOnlySpan<int> distances, int maxDistance, Span<int> counts, Span<int> order)
    {
        counts[..(maxDistance + 2)].Clear();
        foreach (int d in distances) counts[d + 1]++;
        for (int d = 1; d <= maxDistance + 1; d++) counts[d] += counts[d - 1];
        for (int j = 0; j < distances.Length; j++) order[counts[distances[j]]++] = j;
    }

    private static double EvaluateQuery(Context c, int q, Workspace w, ChunkSums sums)
    {
        int n = c.DatabaseCount;
        ReadOnlySpan<ulong> query = c.Queries.AsSpan(q * c.Words, c.Words);
        HammingKernels.Distances(query, c.Database, w.Distances, c.Path);

        // Relevance of every database item, and how many items / relevant items sit at each distance.
        Span<int> atDistance = w.AtDistance;
        Span<int> relevantAtDistance = w.RelevantAtDistance;
        atDistance.Clear();
        relevantAtDistance.Clear();
        int totalRelevant = 0;
        ReadOnlySpan<ulong> qLabels = c.QueryLabels.Item(q);
        ReadOnlySpan<ulong> dbLabels = c.DatabaseLabels.Bits;
        int labelWords = qLabels.Length;
        for (int j = 0; j < n; j++)
        {
            bool relevant = false;
            ReadOnlySpan<ulong> item = dbLabels.Slice(j * labelWords, labelWords);
            for (int t = 0; t < labelWords; t++) relevant |= (qLabels[t] & item[t]) != 0;
            w.Relevant[j] = relevant;
            int d = w.Distances[j];
            atDistance[d]++;
            if (relevant)
            {
                relevantAtDistance[d]++;
                totalRelevant++;
            }
        }

        RankByDistance(w.Distances, c.Bits, w.Counts, w.Order);

        (double ap, double apAtR) = RankingScores.Score(w.Order, w.Relevant, totalRelevant, c.Cutoff, sums.HitsAtN);
        sums.ApAtR += apAtR;

        int retrieved = 0, relevantRetrieved = 0;
        for (int r = 0; r <= c.Bits; r++)
        {
            retrieved += atDistance[r];
            relevantRetrieved += relevantAtDistance[r];
            if (retrieved > 0)
            {
                sums.PrecisionByRadius[r] += (double)relevantRetrieved / retrieved;
                sums.NonEmptyByRadius[r]++;
            }
            if (totalRelevant > 0) sums.RecallByRadius[r] += (double)relevantRetrieved / totalRelevant;
        }
        return ap;
    }

    private sealed record Context(ulong[] Queries, ulong[] Database, int Words, int Bits, int DatabaseCount,
        LabelSet QueryLabels, LabelSet DatabaseLabels, int CurveLength, int Cutoff, KernelPath Path);

    private sealed class Workspace(int databaseCount, int bits)
    {
        public readonly int[] Distances = new int[databaseCount];
        public readonly int[] Order = new int[databaseCount];
        public readonly bool[] Relevant = new bool[databaseCount];
        public readonly int[] Counts = new int[bits + 2];
        public readonly int[] AtDistance = new int[bits + 1];
        public readonly int[] RelevantAtDistance = new int[bits + 1];
    }

    private sealed class ChunkSums(int bits, int curveLength)
    {
        public readonly long[] HitsAtN = new long[curveLength];
        public readonly double[] PrecisionByRadius = new double[bits + 1];
        public readonly double[] RecallByRadius = new double[bits + 1];
        public readonly long[] NonEmptyByRadius = new long[bits + 1];
        public double ApAtR;

        public void Add(ChunkSums other)
        {
            for (int i = 0; i < HitsAtN.Length; i++) HitsAtN[i] += other.HitsAtN[i];
            for (int r = 0; r < PrecisionByRadius.Length; r++)
            {
                PrecisionByRadius[r] += other.PrecisionByRadius[r];
                RecallByRadius[r] += other.RecallByRadius[r];
                NonEmptyByRadius[r] += other.NonEmptyByRadius[r];
            }
            ApAtR += other.ApAtR;
        }
    }
}
