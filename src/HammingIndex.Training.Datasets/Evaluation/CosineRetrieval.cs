using System.Numerics.Tensors;

namespace HammingIndex.Training.Evaluation;

/// <summary>
/// Real-valued reference: rank the database by cosine similarity to each query (highest first,
/// ties to the lower database index) and score the ranking as <see cref="RetrievalMetrics"/>
/// does. It applies where queries and database live in one vector space: features of the same
/// modality (e.g. image -> image on the kernel features), or the two modalities after a learned
/// common projection (e.g. SCRATCH's real-valued R W phi(x) before the sign).
/// A zero vector has cosine 0 with everything.
/// </summary>
public static class CosineRetrieval
{
    /// <summary>Evaluates <paramref name="queries"/> against <paramref name="database"/> by cosine similarity.</summary>
    /// <exception cref="ArgumentException">Dimensions or label counts disagree, or a set is empty.</exception>
    public static RankingReport Evaluate(FeatureMatrix queries, FeatureMatrix database, LabelSet queryLabels, LabelSet databaseLabels,
        RetrievalOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(queryLabels);
        ArgumentNullException.ThrowIfNull(databaseLabels);
        options ??= new RetrievalOptions();
        if (queries.Columns != database.Columns)
            throw new ArgumentException($"Queries have {queries.Columns} features, the database {database.Columns}: cosine needs one space.", nameof(queries));
        if (queries.Rows == 0) throw new ArgumentException("There are no queries.", nameof(queries));
        if (database.Rows == 0) throw new ArgumentException("The database is empty.", nameof(database));
        if (queryLabels.Count != queries.Rows)
            throw new ArgumentException($"{queryLabels.Count} query label rows for {queries.Rows} queries.", nameof(queryLabels));
        if (databaseLabels.Count != database.Rows)
            throw new ArgumentException($"{databaseLabels.Count} database label rows for {database.Rows} database rows.", nameof(databaseLabels));
        queryLabels.CheckCompatible(databaseLabels);
        if (options.MapCutoff < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.MapCutoff, "MapCutoff must be at least 1.");
        if (options.PrecisionCurveLength < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.PrecisionCurveLength, "PrecisionCurveLength must be at least 1.");

        int n = database.Rows, nq = queries.Rows;
        int curveLength = Math.Min(options.PrecisionCurveLength, n);
        int cutoff = Math.Min(options.MapCutoff, n);
        double[] norms = Norms(database);
        var aps = new double[nq];
        var apsAtR = new double[nq];
        var hitsPerQuery = new long[nq][];
        Parallel.For(0, nq, new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism },
            () => (Keys: new (double, int)[n], Order: new int[n], Relevant: new bool[n]),
            (q, _, w) =>
            {
                ReadOnlySpan<double> query = queries.Row(q);
                double queryNorm = Math.Sqrt(TensorPrimitives.Dot(query, query));
                int totalRelevant = 0;
                for (int j = 0; j < n; j++)
                {
                    double denominator = queryNorm * norms[j];
                    double cosine = denominator == 0 ? 0 : TensorPrimitives.Dot(query, database.Row(j)) / denominator;
                    w.Keys[j] = (-cosine, j);
                    bool relevant = queryLabels.SharesLabel(q, databaseLabels, j);
                    w.Relevant[j] = relevant;
                    if (relevant) totalRelevant++;
                }
                Array.Sort(w.Keys); // by -cosine, then index: unique keys, so the order is total
                for (int j = 0; j < n; j++) w.Order[j] = w.Keys[j].Item2;
                var hits = new long[curveLength];
                (aps[q], apsAtR[q]) = RankingScores.Score(w.Order, w.Relevant, totalRelevant, cutoff, hits);
                hitsPerQuery[q] = hits;
                return w;
            },
            _ => { });

        var precisionAtN = new double[curveLength];
        foreach (long[] hits in hitsPerQuery)
            for (int i = 0; i < curveLength; i++) precisionAtN[i] += hits[i];
        for (int i = 0; i < curveLength; i++) precisionAtN[i] /= (double)(i + 1) * nq;
        return new RankingReport
        {
            QueryCount = nq,
            DatabaseCount = n,
            Map = aps.Sum() / nq,
            MapCutoff = options.MapCutoff,
            MapAtR = apsAtR.Sum() / nq,
            PrecisionAtN = precisionAtN,
        };
    }

    private static double[] Norms(FeatureMatrix m)
    {
        var norms = new double[m.Rows];
        for (int r = 0; r < m.Rows; r++)
        {
            ReadOnlySpan<double> row = m.Row(r);
            norms[r] = Math.Sqrt(TensorPrimitives.Dot(row, row));
        }
        return norms;
    }
}
