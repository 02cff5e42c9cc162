namespace HammingIndex.Training.Evaluation;

/// <summary>
/// Retrieval quality of one set of query codes against one database of codes; every figure is
/// a mean over the queries. See <see cref="RetrievalMetrics"/> for the exact definitions.
/// </summary>
public sealed record RetrievalReport
{
    /// <summary>Number of queries.</summary>
    public required int QueryCount { get; init; }

    /// <summary>Number of database items.</summary>
    public required int DatabaseCount { get; init; }

    /// <summary>Code length in bits.</summary>
    public required int Bits { get; init; }

    /// <summary>Mean average precision over the whole ranking.</summary>
    public required double Map { get; init; }

    /// <summary>The cutoff R of <see cref="MapAtR"/>.</summary>
    public required int MapCutoff { get; init; }

    /// <summary>Mean average precision over the first <see cref="MapCutoff"/> ranked items.</summary>
    public required double MapAtR { get; init; }

    /// <summary>Precision@N for N = 1.. (entry N - 1), up to min(curve length, database size).</summary>
    public required double[] PrecisionAtN { get; init; }

    /// <summary>Precision of hash lookup within radius r (entry r), r = 0..bits; a query that finds nothing counts 0.</summary>
    public required double[] PrecisionByRadius { get; init; }

    /// <summary>Recall of hash lookup within radius r (entry r), r = 0..bits; a query with no relevant item counts 0.</summary>
    public required double[] RecallByRadius { get; init; }

    /// <summary>The radius of <see cref="LookupPrecision"/>.</summary>
    public required int LookupRadius { get; init; }

    /// <summary>Precision of hash lookup within <see cref="LookupRadius"/> (a query that finds nothing counts 0).</summary>
    public required double LookupPrecision { get; init; }

    /// <summary>Fraction of queries that find at least one item within <see cref="LookupRadius"/>.</summary>
    public required double LookupHitRate { get; init; }

    /// <summary>Average precision of each query over the whole ranking (the terms of <see cref="Map"/>).</summary>
    public required double[] AveragePrecisions { get; init; }
}
