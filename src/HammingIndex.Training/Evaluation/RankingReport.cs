namespace HammingIndex.Training.Evaluation;

/// <summary>Ranking quality of real-valued retrieval (no Hamming radii): the ranking figures of <see cref="RetrievalReport"/>.</summary>
public sealed record RankingReport
{
    /// <summary>Number of queries.</summary>
    public required int QueryCount { get; init; }

    /// <summary>Number of database items.</summary>
    public required int DatabaseCount { get; init; }

    /// <summary>Mean average precision over the whole ranking.</summary>
    public required double Map { get; init; }

    /// <summary>The cutoff R of <see cref="MapAtR"/>.</summary>
    public required int MapCutoff { get; init; }

    /// <summary>Mean average precision over the first <see cref="MapCutoff"/> ranked items.</summary>
    public required double MapAtR { get; init; }

    /// <summary>Precision@N for N = 1.. (entry N - 1).</summary>
    public required double[] PrecisionAtN { get; init; }
}
