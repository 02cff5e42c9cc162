namespace HammingIndex.Training.Evaluation;

/// <summary>Settings of <see cref="CrossModalBenchmark.Run"/>.</summary>
public sealed record BenchmarkOptions
{
    /// <summary>Code lengths to train and score (default 16, 32, 64, 128).</summary>
    public IReadOnlyList<int> Bits { get; init; } = [16, 32, 64, 128];

    /// <summary>Seeds; every figure is the mean over them (default 1..5).</summary>
    public IReadOnlyList<int> Seeds { get; init; } = [1, 2, 3, 4, 5];

    /// <summary>Methods trained and scored in the same run (default SCRATCH with the paper's defaults, and LSH).</summary>
    public IReadOnlyList<CrossModalMethod> Methods { get; init; } = [CrossModalMethod.Scratch(), CrossModalMethod.Lsh];

    /// <summary>Whether to add the real-valued cosine references within each modality (default true).</summary>
    public bool CosineReferences { get; init; } = true;

    /// <summary>Anchors of the kernel features of the cosine reference (default 500, capped at the training size).</summary>
    public int ReferenceAnchors { get; init; } = 500;

    /// <summary>Cutoffs of the retrieval figures.</summary>
    public RetrievalOptions Retrieval { get; init; } = new();
}
